import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookings } from "../../src/server/db/schema/bookings";
import { createBooking } from "../../src/server/features/booking/create";
import { AppError } from "../../src/server/lib/errors";
import {
  adult,
  type BookingStack,
  bookingInput,
  createBookingStack,
  inventoryOf,
  leaveOnly,
  nextSailing,
} from "../helpers/booking-stack";

let s: BookingStack;
beforeAll(async () => {
  s = await createBookingStack();
});
afterAll(() => s.close());

/** Fires all requests at once and records how many were in flight together. */
async function stampede<T>(n: number, fn: (i: number) => Promise<T>) {
  let inFlight = 0;
  let peak = 0;
  const settled = await Promise.allSettled(
    Array.from({ length: n }, async (_, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fn(i);
      } finally {
        inFlight--;
      }
    }),
  );
  return { settled, peak };
}

function soldOut(r: PromiseSettledResult<unknown>): boolean {
  return (
    r.status === "rejected" &&
    r.reason instanceof AppError &&
    r.reason.code === "CONFLICT" &&
    r.reason.details?.reason === "SOLD_OUT"
  );
}

async function bookingCount(): Promise<number> {
  const [r] = await s.t.db.select({ n: sql<number>`count(*)::int` }).from(bookings);
  return r!.n;
}

describe("never oversell", () => {
  it("200 concurrent bookings for the last 10 deck places: exactly 10 holds", async () => {
    const sailing = await nextSailing(s.t, "TUN", "PMO", 3);
    await leaveOnly(s.t, sailing.id, "DECK", 10);
    const before = await bookingCount();
    // Watch Postgres while the stampede runs: several booking transactions must be open at once.
    let maxActive = 0;
    const watcher = setInterval(async () => {
      const rows = await s.t.sql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and state in ('active', 'idle in transaction') and pid <> pg_backend_pid()`;
      maxActive = Math.max(maxActive, rows[0]!.n);
    }, 5);
    const { settled, peak } = await stampede(200, (i) =>
      createBooking(
        s.deps,
        bookingInput(sailing.id, { passengers: [adult(i)], contact: { email: `r${i}@example.com` } }),
      ),
    );
    clearInterval(watcher);
    const ok = settled.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(10);
    expect(settled.filter(soldOut)).toHaveLength(190);
    const deck = await inventoryOf(s.t, sailing.id, "DECK");
    expect(deck.held + deck.sold).toBe(deck.capacity);
    expect(deck.held).toBe(10);
    expect(await bookingCount()).toBe(before + 10); // the losers left nothing behind
    // Proof the requests overlapped: all 200 were in flight together, and Postgres saw many at once.
    expect(peak).toBe(200);
    expect(maxActive).toBeGreaterThan(3);
  });

  it("the last inside cabin goes to exactly one party", async () => {
    const sailing = await nextSailing(s.t, "TUN", "GOA", 3);
    await leaveOnly(s.t, sailing.id, "CABIN_INSIDE", 1);
    const { settled } = await stampede(30, (i) =>
      createBooking(
        s.deps,
        bookingInput(sailing.id, {
          outbound: { sailingId: sailing.id, accommodation: "CABIN_INSIDE" },
          passengers: [adult(i), adult(i + 100)],
          contact: { email: `c${i}@example.com` },
        }),
      ),
    );
    expect(settled.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(settled.filter(soldOut)).toHaveLength(29);
    const cabin = await inventoryOf(s.t, sailing.id, "CABIN_INSIDE");
    expect(cabin.held).toBe(1);
  });

  it("the last vehicle slot goes to exactly one car", async () => {
    const sailing = await nextSailing(s.t, "TUN", "CIV", 3);
    await leaveOnly(s.t, sailing.id, "VEHICLE", 2); // one car is 2 units
    const { settled } = await stampede(30, (i) =>
      createBooking(
        s.deps,
        bookingInput(sailing.id, {
          vehicle: { type: "car", registration: `TN-${1000 + i}` },
          passengers: [adult(i)],
          contact: { email: `v${i}@example.com` },
        }),
      ),
    );
    expect(settled.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(settled.filter(soldOut)).toHaveLength(29);
    const vehicle = await inventoryOf(s.t, sailing.id, "VEHICLE");
    expect(vehicle.held).toBe(2);
  });

  it("a round trip whose return leg is full holds nothing on either leg", async () => {
    const out = await nextSailing(s.t, "TUN", "MRS", 3);
    const ret = await nextSailing(s.t, "MRS", "TUN", 6);
    await leaveOnly(s.t, ret.id, "SEAT", 0);
    const outBefore = await inventoryOf(s.t, out.id, "SEAT");
    const paxBefore = await inventoryOf(s.t, out.id, "PASSENGER");
    const before = await bookingCount();
    const { settled } = await stampede(20, (i) =>
      createBooking(
        s.deps,
        bookingInput(out.id, {
          outbound: { sailingId: out.id, accommodation: "SEAT" },
          return: { sailingId: ret.id, accommodation: "SEAT" },
          passengers: [adult(i)],
          contact: { email: `rt${i}@example.com` },
        }),
      ),
    );
    expect(settled.every(soldOut)).toBe(true);
    expect(await inventoryOf(s.t, out.id, "SEAT")).toEqual(outBefore);
    expect(await inventoryOf(s.t, out.id, "PASSENGER")).toEqual(paxBefore);
    expect(await bookingCount()).toBe(before);
  });
});

describe("booking.create input rules", () => {
  it("refuses a vehicle over its class limits, with nothing held", async () => {
    const sailing = await nextSailing(s.t, "TUN", "PMO", 4);
    const before = await inventoryOf(s.t, sailing.id, "VEHICLE");
    await expect(
      createBooking(
        s.deps,
        bookingInput(sailing.id, { vehicle: { type: "car", registration: "AB-123", heightCm: 230 } }),
      ),
    ).rejects.toThrow(/at most 1.9 m high/);
    expect(await inventoryOf(s.t, sailing.id, "VEHICLE")).toEqual(before);
  });

  it("refuses a cancelled sailing and one that has departed", async () => {
    const sailing = await nextSailing(s.t, "TUN", "PMO", 5);
    await s.t.db.execute(sql`update sailings set status = 'CANCELLED' where id = ${sailing.id}`);
    await expect(createBooking(s.deps, bookingInput(sailing.id))).rejects.toThrow(/has been cancelled/);
    await s.t.db.execute(
      sql`update sailings set status = 'SCHEDULED', departure_at = now() - interval '1 hour', arrival_at = now() + interval '8 hours' where id = ${sailing.id}`,
    );
    await expect(createBooking(s.deps, bookingInput(sailing.id))).rejects.toThrow(/has departed/);
  });

  it("requires documents on international crossings and ages that match the passenger type", async () => {
    const sailing = await nextSailing(s.t, "TUN", "PMO", 6);
    await expect(
      createBooking(
        s.deps,
        bookingInput(sailing.id, { passengers: [{ type: "adult", firstName: "A", lastName: "B" }] }),
      ),
    ).rejects.toThrow(/nationality and passport/);
    await expect(
      createBooking(
        s.deps,
        bookingInput(sailing.id, {
          passengers: [adult(1), { ...adult(2), type: "child", dateOfBirth: "2000-01-01" }],
        }),
      ),
    ).rejects.toThrow(/must be 4 to 11/);
  });

  it("prices from Postgres and snapshots the lines", async () => {
    const sailing = await nextSailing(s.t, "TUN", "PMO", 7);
    const r = await createBooking(s.deps, bookingInput(sailing.id, { passengers: [adult(1), adult(2)] }));
    expect(r.status).toBe("PENDING_PAYMENT");
    expect(r.reference).toMatch(/^TRV-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(r.checkoutUrl).toContain("/pay/cs_test_");
    expect(r.total.amount).toBe(2 * 8_900);
    expect(r.holdExpiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
    expect(b!.totalAmount).toBe(r.total.amount);
  });
});
