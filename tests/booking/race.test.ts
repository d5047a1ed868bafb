import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingHolds, bookings } from "@/server/db/schema/bookings";
import { inventory } from "@/server/db/schema/sailings";
import { createBooking } from "@/server/features/booking/create";
import { AppError } from "@/server/lib/errors";
import { seedDatabase } from "@/server/seed/seed";
import { localDate } from "@/shared/dates";
import {
  adult,
  bookingInput,
  inventoryOf,
  leaveOnly,
  nextSailing,
  bookingStackForFile,
} from "../helpers/booking-stack";
import { createTestDb, type TestDb } from "../helpers/db";
import { randomReference } from "../helpers/email-fixtures";
import { runHoldRace } from "../helpers/hold-race";
import { testServices } from "../helpers/services";

const s = bookingStackForFile();

/** Fires all requests at once. */
function stampede<T>(n: number, fn: (i: number) => Promise<T>) {
  return Promise.allSettled(Array.from({ length: n }, (_, i) => fn(i)));
}

function isSoldOut(e: unknown): boolean {
  return e instanceof AppError && e.code === "CONFLICT" && e.details?.reason === "SOLD_OUT";
}

function soldOut(r: PromiseSettledResult<unknown>): boolean {
  return r.status === "rejected" && isSoldOut(r.reason);
}

/** Exactly one of the stampede won; every other one was refused as sold out. */
function expectOneWinner(settled: PromiseSettledResult<unknown>[]) {
  expect(settled.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  expect(settled.filter(soldOut)).toHaveLength(settled.length - 1);
}

async function bookingCount(t: TestDb = s.t): Promise<number> {
  const [r] = await t.db.select({ n: sql<number>`count(*)::int` }).from(bookings);
  return r!.n;
}

class NaiveSoldOut extends Error {}

/**
 * The hold this code base must never have: read what is free, decide in the application, then write
 * `held = held + 1` without re-checking. Used only as the race harness's negative control.
 */
async function naiveHold(t: TestDb, sailingId: number, i: number): Promise<void> {
  await t.db.transaction(async (tx) => {
    const where = and(eq(inventory.sailingId, sailingId), eq(inventory.resource, "DECK"));
    const [row] = await tx.select().from(inventory).where(where);
    if (row!.capacity - row!.held - row!.sold < 1) throw new NaiveSoldOut("sold out");
    const [b] = await tx
      .insert(bookings)
      .values({
        reference: randomReference(),
        contactEmail: `naive${i}@example.com`,
        locale: "en",
        totalAmount: 0,
        currency: "EUR",
        holdExpiresAt: new Date(Date.now() + 30 * 60_000),
      })
      .returning({ id: bookings.id });
    await tx.insert(bookingHolds).values({ bookingId: b!.id, sailingId, resource: "DECK", quantity: 1 });
    await tx
      .update(inventory)
      .set({ held: sql`${inventory.held} + 1` })
      .where(where);
  });
}

describe("never oversell: 200-way race with a forced interleaving, CHECK constraint dropped", () => {
  // A scratch database without the inventory CHECK: what stops an oversell here is the hold's own
  // conditional UPDATE, and the detector counts the bookings' holds, not the (unchecked) counters.
  let scratch: TestDb;
  beforeAll(async () => {
    scratch = await createTestDb({ max: 20 });
    await seedDatabase(scratch.db, {
      today: localDate(new Date(), "Africa/Tunis"),
      days: 14,
      devAdmin: null,
    });
    await scratch.db.execute(sql`alter table inventory drop constraint inventory_within_capacity`);
  });
  afterAll(() => scratch?.destroy());

  const race = { places: 10, contenders: 200, minBlocked: 15 };

  it("control: a naive read-then-write hold oversells, and the harness reports it", async () => {
    const sailing = await nextSailing(scratch, "TUN", "TPS", 4);
    const r = await runHoldRace({
      t: scratch,
      sailingId: sailing.id,
      resource: "DECK",
      ...race,
      hold: (i) => naiveHold(scratch, sailing.id, i),
      isRefusal: (e) => e instanceof NaiveSoldOut,
    });
    expect(r.errors).toEqual([]);
    expect(r.blockedAtRelease).toBeGreaterThanOrEqual(race.minBlocked);
    // Everyone waiting at the release had read "places free": each of them got a place.
    expect(r.granted).toBeGreaterThanOrEqual(r.blockedAtRelease);
    expect(r.takenByBookings).toBe(r.granted);
    expect(r.oversold).toBe(r.granted - race.places);
    expect(r.oversold).toBeGreaterThan(0);
  });

  it("200 concurrent bookings for the last 10 deck places: exactly 10 holds", async () => {
    const sailing = await nextSailing(scratch, "TUN", "TPS", 3);
    const before = await bookingCount(scratch);
    const svc = testServices({ db: scratch.db, cache: s.tc.cache, stripe: s.stripe });
    const r = await runHoldRace({
      t: scratch,
      sailingId: sailing.id,
      resource: "DECK",
      ...race,
      hold: (i) =>
        createBooking(
          svc,
          bookingInput(sailing.id, { passengers: [adult(i)], contact: { email: `r${i}@example.com` } }),
        ),
      isRefusal: isSoldOut,
    });
    expect(r.errors).toEqual([]);
    expect(r.blockedAtRelease).toBeGreaterThanOrEqual(race.minBlocked);
    expect(r).toMatchObject({ granted: 10, refused: 190, takenByBookings: 10, oversold: 0 });
    expect(await bookingCount(scratch)).toBe(before + 10); // the losers left nothing behind
    const deck = await inventoryOf(scratch, sailing.id, "DECK");
    expect({ held: deck.held, sold: deck.sold }).toEqual({ held: 10, sold: 0 });
  });
});

describe("never oversell", () => {
  it("the last inside cabin goes to exactly one party", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS", 3);
    await leaveOnly(s.t, sailing.id, "CABIN_INSIDE", 1);
    const settled = await stampede(30, (i) =>
      createBooking(
        s.svc,
        bookingInput(sailing.id, {
          outbound: { sailingId: sailing.id, accommodation: "CABIN_INSIDE" },
          passengers: [adult(i), adult(i + 100)],
          contact: { email: `c${i}@example.com` },
        }),
      ),
    );
    expectOneWinner(settled);
    const cabin = await inventoryOf(s.t, sailing.id, "CABIN_INSIDE");
    expect(cabin.held).toBe(1);
  });

  it("the last vehicle slot goes to exactly one car", async () => {
    const sailing = await nextSailing(s.t, "MRS", "TUN", 3);
    await leaveOnly(s.t, sailing.id, "VEHICLE", 2); // one car is 2 units
    const settled = await stampede(30, (i) =>
      createBooking(
        s.svc,
        bookingInput(sailing.id, {
          vehicle: { type: "car", registration: `TN-${1000 + i}` },
          passengers: [adult(i)],
          contact: { email: `v${i}@example.com` },
        }),
      ),
    );
    expectOneWinner(settled);
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
    const settled = await stampede(20, (i) =>
      createBooking(
        s.svc,
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
    const sailing = await nextSailing(s.t, "TUN", "TPS", 4);
    const before = await inventoryOf(s.t, sailing.id, "VEHICLE");
    await expect(
      createBooking(
        s.svc,
        bookingInput(sailing.id, { vehicle: { type: "car", registration: "AB-123", heightCm: 230 } }),
      ),
    ).rejects.toThrow(/at most 1.9 m high/);
    expect(await inventoryOf(s.t, sailing.id, "VEHICLE")).toEqual(before);
  });

  it("refuses a cancelled sailing and one that has departed", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 5);
    await s.t.db.execute(sql`update sailings set status = 'CANCELLED' where id = ${sailing.id}`);
    await expect(createBooking(s.svc, bookingInput(sailing.id))).rejects.toThrow(/has been cancelled/);
    await s.t.db.execute(
      sql`update sailings set status = 'SCHEDULED', departure_at = now() - interval '1 hour', arrival_at = now() + interval '8 hours' where id = ${sailing.id}`,
    );
    await expect(createBooking(s.svc, bookingInput(sailing.id))).rejects.toThrow(/has departed/);
  });

  it("requires documents on international crossings and ages that match the passenger type", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 6);
    await expect(
      createBooking(
        s.svc,
        bookingInput(sailing.id, { passengers: [{ type: "adult", firstName: "A", lastName: "B" }] }),
      ),
    ).rejects.toThrow(/nationality and passport/);
    await expect(
      createBooking(
        s.svc,
        bookingInput(sailing.id, {
          passengers: [adult(1), { ...adult(2), type: "child", dateOfBirth: "2000-01-01" }],
        }),
      ),
    ).rejects.toThrow(/must be 4 to 11/);
  });

  it("prices from Postgres and snapshots the lines", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 7);
    const r = await createBooking(s.svc, bookingInput(sailing.id, { passengers: [adult(1), adult(2)] }));
    expect(r.status).toBe("PENDING_PAYMENT");
    expect(r.reference).toMatch(/^TRV-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(r.checkoutUrl).toContain("/pay/cs_test_");
    expect(r.total.amount).toBe(2 * 7_900); // the TUN → TPS adult deck fare
    expect(r.holdExpiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
    expect(b!.totalAmount).toBe(r.total.amount);
  });
});
