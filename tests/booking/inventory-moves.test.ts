import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { env } from "@/env";
import { bookingHolds, bookingLegs, bookings, priceLines } from "@/server/db/schema/bookings";
import { refunds } from "@/server/db/schema/payments";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { cancelBooking } from "@/server/features/booking/cancel";
import type { CreateBookingInput } from "@/server/features/booking/input";
import { createBooking } from "@/server/features/booking/create";
import { expireHold } from "@/server/features/booking/lifecycle";
import { adult, bookingInput, bookingStackForFile, leaveOnly, nextSailing } from "../helpers/booking-stack";
import { firstRoundTrip } from "../helpers/sailings";
import { svcAt } from "../helpers/services";
import { pay as payBooking } from "../cache/cache-world";

/**
 * Every inventory move with quantities above one and several resources per leg: a family of four with
 * a high car and two pets on a return trip holds 4 passenger places, 3 deck places, 3 vehicle units and
 * 2 kennels on each sailing, and each transition (confirm, cancel, expire, late payment) moves exactly
 * those between free, held and sold — or, when one resource is short, nothing at all.
 */
// trip(10) can pick day 11 (after 08:00 UTC the day-10 sailing has gone); its return sails on day 12.
const s = bookingStackForFile({ days: 14 });

const NEED = { PASSENGER: 4, DECK: 3, VEHICLE: 3, KENNEL: 2 } as const;
type Counts = Record<keyof typeof NEED, { held: number; sold: number }>;

async function counts(sailingId: number): Promise<Counts> {
  const rows = await s.t.db.select().from(inventory).where(eq(inventory.sailingId, sailingId));
  const pick = (r: string) => {
    const row = rows.find((x) => x.resource === r)!;
    return { held: row.held, sold: row.sold };
  };
  return {
    PASSENGER: pick("PASSENGER"),
    DECK: pick("DECK"),
    VEHICLE: pick("VEHICLE"),
    KENNEL: pick("KENNEL"),
  };
}
/** `before` moved by `k` × NEED into `field`. */
function moved(before: Counts, field: "held" | "sold", k: number): Counts {
  const out = structuredClone(before);
  for (const r of Object.keys(NEED) as (keyof typeof NEED)[]) out[r][field] += k * NEED[r];
  return out;
}

let n = 0;
/** An outbound sailing `daysAhead` days out (each test its own) and the first return 2 h after it arrives. */
const trip = (daysAhead: number) => firstRoundTrip(s.t.sql, "TUN", "TPS", daysAhead);
function family(outId: number, backId: number | null): CreateBookingInput {
  const i = ++n;
  return bookingInput(outId, {
    ...(backId ? { return: { sailingId: backId, accommodation: "DECK" } } : {}),
    passengers: [
      adult(i),
      adult(i + 100),
      {
        type: "child",
        firstName: "Sami",
        lastName: "Ben Salah",
        dateOfBirth: "2019-05-01",
        nationality: "TN",
        documentNumber: "C1",
      },
      {
        type: "infant",
        firstName: "Lina",
        lastName: "Ben Salah",
        dateOfBirth: "2025-09-01",
        nationality: "TN",
        documentNumber: "I1",
      },
    ],
    vehicle: { type: "high_car", registration: `TN-${4000 + i}`, heightCm: 220, lengthCm: 480 },
    pets: 2,
    contact: { email: `family${i}@example.com` },
  });
}
async function book(input: CreateBookingInput) {
  const r = await createBooking(s.svc, input);
  const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
  return { r, booking: b! };
}
function pay(bookingId: string, svc = s.svc) {
  return payBooking(s, svc, bookingId);
}

describe("a family's return trip", () => {
  it("holds every resource on both sailings, then confirm moves held → sold and cancel frees them", async () => {
    const { out, back } = await trip(4);
    const before = { out: await counts(out), back: await counts(back) };
    const t0 = Date.now();
    const { r, booking } = await book(family(out, back));
    expect(r.holdExpiresAt.getTime() - t0).toBeGreaterThanOrEqual(env.HOLD_MINUTES * 60_000 - 1_000);
    expect(r.holdExpiresAt.getTime() - t0).toBeLessThanOrEqual(env.HOLD_MINUTES * 60_000 + 5_000);
    expect(r).toMatchObject({
      status: "PENDING_PAYMENT",
      total: { amount: booking.totalAmount, currency: "EUR" },
    });
    expect(await counts(out)).toEqual(moved(before.out, "held", 1));
    expect(await counts(back)).toEqual(moved(before.back, "held", 1));
    const holds = await s.t.db.select().from(bookingHolds).where(eq(bookingHolds.bookingId, booking.id));
    expect(holds).toHaveLength(8);
    const legs = await s.t.db.select().from(bookingLegs).where(eq(bookingLegs.bookingId, booking.id));
    expect(legs.map((l) => [l.direction, l.sailingId]).sort()).toEqual([
      ["OUTBOUND", out],
      ["RETURN", back],
    ]);
    const lines = await s.t.db.select().from(priceLines).where(eq(priceLines.bookingId, booking.id));
    expect(new Set(lines.map((l) => l.description))).toEqual(
      new Set([
        "Adult · Deck passage",
        "Child (4–11) · Deck passage",
        "Infant (0–3) · Deck passage",
        "Vehicle · high car",
        "Pet (kennel)",
      ]),
    );
    expect(lines.reduce((sum, l) => sum + l.amount, 0)).toBe(booking.totalAmount);
    const [job] = await s.t.sql<{ task: string; run_at: Date }[]>`
      select task_identifier as task, run_at from graphile_worker.jobs where key = ${`hold:${booking.id}`}`;
    expect(job!.task).toBe("expire_hold");
    expect(new Date(job!.run_at).getTime()).toBe(r.holdExpiresAt.getTime());

    expect(await pay(booking.id)).toBe("CONFIRMED");
    expect(await counts(out)).toEqual(moved(before.out, "sold", 1));
    expect(await counts(back)).toEqual(moved(before.back, "sold", 1));
    const far = new Date(Date.now() - 1);
    await cancelBooking(svcAt(s.svc, far), booking.id);
    expect(await counts(out)).toEqual(before.out);
    expect(await counts(back)).toEqual(before.back);
  });

  it("an expired hold frees every place; a late payment takes them back as sold", async () => {
    const { out, back } = await trip(5);
    const before = await counts(out);
    const { booking } = await book(family(out, back));
    expect(await expireHold(svcAt(s.svc, booking.holdExpiresAt), booking.id)).toBe(true);
    expect(await counts(out)).toEqual(before);
    expect(await pay(booking.id)).toBe("LATE_CONFIRMED");
    expect(await counts(out)).toEqual(moved(before, "sold", 1));
  });

  it("a late payment that finds one resource short takes nothing and is refunded", async () => {
    const { out } = await trip(6);
    const { booking } = await book(family(out, null));
    expect(await expireHold(svcAt(s.svc, booking.holdExpiresAt), booking.id)).toBe(true);
    // Everything fits except the kennels, checked last.
    await leaveOnly(s.t, out, "KENNEL", 1);
    const before = await counts(out);
    expect(await pay(booking.id)).toBe("LATE_REFUNDED");
    expect(await counts(out)).toEqual(before);
    expect((await s.t.db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]!.status).toBe(
      "EXPIRED",
    );
  });

  it("one resource short at booking time: CONFLICT naming it, and nothing held anywhere", async () => {
    const { out, back } = await trip(7);
    await leaveOnly(s.t, back, "VEHICLE", 2);
    const before = { out: await counts(out), back: await counts(back) };
    const e = await book(family(out, back)).catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: "CONFLICT",
      message:
        "Not enough vehicle space left on this sailing for your party. Choose another class or sailing.",
      details: { reason: "SOLD_OUT", sailingId: back, resource: "VEHICLE" },
    });
    expect(await counts(out)).toEqual(before.out);
    expect(await counts(back)).toEqual(before.back);
    // Exactly enough is enough.
    await leaveOnly(s.t, back, "VEHICLE", 3);
    const { booking } = await book(family(out, back));
    const [v] = await s.t.db
      .select()
      .from(inventory)
      .where(and(eq(inventory.sailingId, back), sql`${inventory.resource} = 'VEHICLE'`));
    expect(v!.held + v!.sold).toBe(v!.capacity);
    expect(booking.status).toBe("PENDING_PAYMENT");
  });
});

describe("a late payment on a return trip", () => {
  const reasonOf = async (bookingId: string) =>
    (await s.t.db.select().from(refunds).where(eq(refunds.bookingId, bookingId))).map((r) => r.reason);
  async function expiredTrip(out: number, back: number) {
    const { booking } = await book(family(out, back));
    expect(await expireHold(svcAt(s.svc, booking.holdExpiresAt), booking.id)).toBe(true);
    return booking;
  }

  it("is refused when either leg was cancelled, and takes nothing back", async () => {
    const { out, back } = await trip(9);
    const booking = await expiredTrip(out, back);
    await s.t.db.update(sailings).set({ status: "CANCELLED" }).where(eq(sailings.id, back));
    const before = await counts(out);
    expect(await pay(booking.id)).toBe("LATE_REFUNDED");
    expect(await reasonOf(booking.id)).toEqual(["LATE_PAYMENT_SAILING_CANCELLED"]);
    expect(await counts(out)).toEqual(before);
  });

  it("is refused once the first leg has left or its sales have closed, to the millisecond", async () => {
    const { out, back } = await trip(10);
    const [o] = await s.t.db.select().from(sailings).where(eq(sailings.id, out));
    const leaves = o!.departureAt.getTime();
    const at = (ms: number) => svcAt(s.svc, new Date(ms));
    const departed = await expiredTrip(out, back);
    expect(await pay(departed.id, at(leaves))).toBe("LATE_REFUNDED");
    expect(await reasonOf(departed.id)).toEqual(["LATE_PAYMENT_DEPARTED"]);
    const closed = await expiredTrip(out, back);
    expect(await pay(closed.id, at(leaves - 60 * 60_000))).toBe("LATE_REFUNDED");
    expect(await reasonOf(closed.id)).toEqual(["LATE_PAYMENT_SALES_CLOSED"]);
    const open = await expiredTrip(out, back);
    expect(await pay(open.id, at(leaves - 60 * 60_000 - 1))).toBe("LATE_CONFIRMED");
  });
});

describe("return legs that cannot be booked", () => {
  it("the same sailing twice, the wrong direction, or too soon after arrival", async () => {
    const { out, back, outArrival } = await trip(8);
    const refuse = (input: CreateBookingInput) => createBooking(s.svc, input).catch((e: unknown) => e);
    expect(await refuse(family(out, out))).toMatchObject({
      code: "BAD_REQUEST",
      message: "The return must be a different sailing from the outbound one.",
      details: { field: "return" },
    });
    const other = await nextSailing(s.t, "TUN", "TPS", 9);
    expect(await refuse(family(out, other.id))).toMatchObject({
      code: "BAD_REQUEST",
      message: "The return must sail from TPS back to TUN.",
    });
    // Only one end wrong is as wrong as both: from another port back home, or from the right port elsewhere.
    const fromElsewhere = await nextSailing(s.t, "MRS", "TUN", 8);
    expect(await refuse(family(out, fromElsewhere.id))).toMatchObject({
      code: "BAD_REQUEST",
      message: "The return must sail from TPS back to TUN.",
      details: { field: "return" },
    });
    const inbound = await nextSailing(s.t, "TPS", "TUN", 8);
    const onwards = await nextSailing(s.t, "TUN", "MRS", 9);
    expect(await refuse(family(inbound.id, onwards.id))).toMatchObject({
      code: "BAD_REQUEST",
      message: "The return must sail from TUN back to TPS.",
      details: { field: "return" },
    });
    await s.t.db
      .update(sailings)
      .set({ departureAt: new Date(outArrival.getTime() + 2 * 3600_000 - 60_000) })
      .where(eq(sailings.id, back));
    expect(await refuse(family(out, back))).toMatchObject({
      code: "BAD_REQUEST",
      message: "The return must leave at least 2 hours after the outbound sailing arrives.",
    });
    await s.t.db
      .update(sailings)
      .set({ departureAt: new Date(outArrival.getTime() + 2 * 3600_000) })
      .where(eq(sailings.id, back));
    expect((await book(family(out, back))).booking.status).toBe("PENDING_PAYMENT");
    expect(await refuse(family(out, 999_999))).toMatchObject({
      code: "NOT_FOUND",
      message: "The return sailing does not exist. Search again.",
      details: { field: "return" },
    });
    expect(await refuse(family(999_999, null))).toMatchObject({
      code: "NOT_FOUND",
      details: { field: "outbound" },
    });
  });
});
