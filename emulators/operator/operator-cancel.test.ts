// GetCancelCharge and CancelBooking (bands, idempotency, what is released), sailings cancelled by the
// operator, and inventory conservation over random sequences of book / confirm / cancel / time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  call,
  control,
  DAY,
  errorOf,
  freeOn,
  HOUR,
  passengers,
  quoteAndBook,
  SAILING,
  SAILING_DEPARTS,
  emulatorForFile,
} from "./test-support";
import type {
  BookingResponse,
  BookingView,
  CancelChargeResponse,
  Change,
  GetSailingsResponse,
} from "./types";

const emu = emulatorForFile();

const TOTAL = 2 * 15_900 + 9_500;

async function confirmedBooking(agentReference: string): Promise<string> {
  const { body } = await quoteAndBook(emu, agentReference);
  await call(emu, "ConfirmBooking", { agentReference });
  return body.booking.operatorReference;
}

describe("GetCancelCharge", () => {
  it("charges 10 % more than 7 days out, 50 % down to 48 hours, 100 % in the last 48 hours", async () => {
    await confirmedBooking("TRV-BANDS");
    const at = async (ms: number) => {
      emu.setClock(ms);
      const reply = await call<CancelChargeResponse>(emu, "GetCancelCharge", { agentReference: "TRV-BANDS" });
      return reply.status === 200
        ? [reply.body.band, reply.body.charge.amount, reply.body.refund.amount]
        : errorOf(reply).code;
    };
    expect(await at(SAILING_DEPARTS - 7 * DAY - 1)).toEqual(["MORE_THAN_7_DAYS", 4_130, TOTAL - 4_130]);
    expect(await at(SAILING_DEPARTS - 7 * DAY)).toEqual(["7_DAYS_TO_48_HOURS", 20_650, 20_650]);
    expect(await at(SAILING_DEPARTS - 48 * HOUR - 1)).toEqual(["7_DAYS_TO_48_HOURS", 20_650, 20_650]);
    expect(await at(SAILING_DEPARTS - 48 * HOUR)).toEqual(["LESS_THAN_48_HOURS", TOTAL, 0]);
    expect(await at(SAILING_DEPARTS - 1)).toEqual(["LESS_THAN_48_HOURS", TOTAL, 0]);
    expect(await at(SAILING_DEPARTS)).toBe("SAILING_DEPARTED");
  });

  it("rounds the charge to the cent and never refunds more than the total", async () => {
    await control(emu, "set-fare", {
      sailingId: SAILING,
      fare: { kind: "passenger", accommodation: "DECK", passengerType: "adult", amount: 15_905 },
    });
    const { body } = await quoteAndBook(emu, "TRV-ODD", { passengers: [passengers[0]!] });
    await call(emu, "ConfirmBooking", { agentReference: "TRV-ODD" });
    const charge = await call<CancelChargeResponse>(emu, "GetCancelCharge", {
      operatorReference: body.booking.operatorReference,
    });
    expect(charge.body).toMatchObject({ percent: 10, charge: { amount: 1_591 }, refund: { amount: 14_314 } });
  });

  it("charges nothing to drop a provisional booking", async () => {
    await quoteAndBook(emu, "TRV-PROV");
    const { body } = await call<CancelChargeResponse>(emu, "GetCancelCharge", { agentReference: "TRV-PROV" });
    expect(body).toMatchObject({
      band: "PROVISIONAL",
      percent: 0,
      charge: { amount: 0 },
      refund: { amount: 0 },
    });
  });
});

describe("CancelBooking", () => {
  it("releases the places, records the charge, and answers the same when repeated", async () => {
    const before = await freeOn(emu);
    const ref = await confirmedBooking("TRV-CXL");
    const wrong = await call(emu, "CancelBooking", {
      agentReference: "TRV-CXL",
      expectedCharge: { amount: 20_650, currency: "EUR" },
    });
    expect(wrong.status).toBe(409);
    expect(errorOf(wrong)).toMatchObject({
      code: "CHARGE_CHANGED",
      details: { band: "MORE_THAN_7_DAYS", charge: { amount: 4_130 } },
    });
    expect(
      (await call<BookingResponse>(emu, "RecallBooking", { agentReference: "TRV-CXL" })).body.booking.status,
    ).toBe("CONFIRMED");

    const done = await call<CancelChargeResponse>(emu, "CancelBooking", {
      operatorReference: ref,
      expectedCharge: { amount: 4_130, currency: "EUR" },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      band: "MORE_THAN_7_DAYS",
      percent: 10,
      charge: { amount: 4_130 },
      refund: { amount: TOTAL - 4_130 },
    });
    expect(done.body.booking.status).toBe("CANCELLED");
    expect(done.body.booking.cancellation).toMatchObject({ by: "AGENT", charge: { amount: 4_130 } });
    expect(await freeOn(emu)).toEqual(before);

    // Days later, in another band: the repeat still reports what was charged, and frees nothing twice.
    emu.advanceClock(8 * DAY);
    const again = await call<CancelChargeResponse>(emu, "CancelBooking", { operatorReference: ref });
    expect(again.body).toEqual(done.body);
    expect(
      (await call<CancelChargeResponse>(emu, "GetCancelCharge", { operatorReference: ref })).body.charge
        .amount,
    ).toBe(4_130);
    expect(await freeOn(emu)).toEqual(before);
    expect(errorOf(await call(emu, "ConfirmBooking", { operatorReference: ref })).code).toBe(
      "BOOKING_CANCELLED",
    );
  });

  it("frees a provisional booking's hold, and leaves an expired one as it is", async () => {
    const before = await freeOn(emu);
    await quoteAndBook(emu, "TRV-DROP");
    const dropped = await call<CancelChargeResponse>(emu, "CancelBooking", { agentReference: "TRV-DROP" });
    expect(dropped.body).toMatchObject({
      band: "PROVISIONAL",
      charge: { amount: 0 },
      booking: { status: "CANCELLED" },
    });
    expect(await freeOn(emu)).toEqual(before);

    await quoteAndBook(emu, "TRV-LAPSED");
    emu.advanceClock(HOUR);
    const lapsed = await call<CancelChargeResponse>(emu, "CancelBooking", { agentReference: "TRV-LAPSED" });
    expect(lapsed.status).toBe(200);
    expect(lapsed.body).toMatchObject({
      band: "EXPIRED",
      charge: { amount: 0 },
      booking: { status: "EXPIRED" },
    });
    expect(await freeOn(emu)).toEqual(before);
  });

  it("refuses once the sailing has left", async () => {
    await confirmedBooking("TRV-GONE");
    emu.setClock(SAILING_DEPARTS + 1);
    const refused = await call(emu, "CancelBooking", { agentReference: "TRV-GONE" });
    expect(refused.status).toBe(409);
    expect(errorOf(refused).code).toBe("SAILING_DEPARTED");
    expect(
      (await call<BookingResponse>(emu, "RecallBooking", { agentReference: "TRV-GONE" })).body.booking.status,
    ).toBe("CONFIRMED");
  });
});

describe("a sailing cancelled by the operator", () => {
  it("cancels live bookings with a full refund of what was confirmed, and tells the feed", async () => {
    const confirmedRef = await confirmedBooking("TRV-OP-CONF");
    await quoteAndBook(emu, "TRV-OP-PROV");
    await quoteAndBook(emu, "TRV-OP-GONE");
    await call(emu, "CancelBooking", { agentReference: "TRV-OP-GONE" });

    const { status, body } = await control<{ changes: Change[] }>(emu, "cancel-sailing", {
      sailingId: SAILING,
      reason: "Technical fault",
    });
    expect(status).toBe(200);
    expect(body.changes.map((c) => c.type)).toEqual([
      "SAILING_CANCELLED",
      "BOOKING_CANCELLED",
      "BOOKING_CANCELLED",
    ]);
    expect(body.changes[0]).toMatchObject({
      sailingId: SAILING,
      from: "TUN",
      to: "GOA",
      dates: ["2026-12-10"],
      affectedBookings: 2,
      reason: "Technical fault",
    });
    expect(body.changes[1]).toMatchObject({
      agentReference: "TRV-OP-CONF",
      operatorReference: confirmedRef,
      refund: { amount: TOTAL, currency: "EUR" },
    });
    expect(body.changes[2]).toMatchObject({ agentReference: "TRV-OP-PROV", refund: { amount: 0 } });

    const recall = async (agentReference: string) =>
      (await call<BookingResponse>(emu, "RecallBooking", { agentReference })).body.booking;
    expect(await recall("TRV-OP-CONF")).toMatchObject({
      status: "CANCELLED_BY_OPERATOR",
      cancellation: {
        band: "OPERATOR_CANCELLED",
        by: "OPERATOR",
        charge: { amount: 0 },
        refund: { amount: TOTAL },
      },
    });
    expect((await recall("TRV-OP-GONE")).status).toBe("CANCELLED");
    expect(errorOf(await call(emu, "ConfirmBooking", { agentReference: "TRV-OP-PROV" })).code).toBe(
      "SAILING_CANCELLED",
    );

    const search = await call<GetSailingsResponse>(emu, "GetSailings", {
      from: "TUN",
      to: "GOA",
      date: "2026-12-10",
      passengers: { adults: 1 },
    });
    expect(search.body.sailings[0]).toMatchObject({ status: "CANCELLED" });
    expect(search.body.sailings[0]!.classes.every((c) => !c.bookable && c.free === 0)).toBe(true);
    const book = await call(emu, "Book", {
      agentReference: "TRV-AFTER",
      sailingId: SAILING,
      accommodation: "DECK",
      passengers,
      expectedTotal: { amount: TOTAL, currency: "EUR" },
    });
    expect(errorOf(book).code).toBe("SAILING_CANCELLED");
    expect((await control(emu, "cancel-sailing", { sailingId: SAILING })).status).toBe(409);
  });
});

describe("inventory conservation", () => {
  type Step =
    | {
        kind: "book";
        people: number;
        infants: number;
        accommodation: "DECK" | "SEAT" | "CABIN_INSIDE";
        car: boolean;
      }
    | { kind: "confirm" | "cancel"; pick: number }
    | { kind: "wait"; minutes: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant("book" as const),
      people: fc.integer({ min: 1, max: 5 }),
      infants: fc.integer({ min: 0, max: 1 }),
      accommodation: fc.constantFrom("DECK" as const, "SEAT" as const, "CABIN_INSIDE" as const),
      car: fc.boolean(),
    }),
    fc.record({ kind: fc.constantFrom("confirm" as const, "cancel" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("wait" as const), minutes: fc.integer({ min: 0, max: 50 }) }),
  );

  /** What a live booking holds, worked out independently of inventory.ts. */
  function heldBy(b: BookingView): Record<string, number> {
    const seated = b.party.adults + b.party.children;
    const cabins = b.accommodation.startsWith("CABIN");
    return {
      PASSENGER: seated + b.party.infants,
      [b.accommodation]: cabins ? Math.ceil(seated / 4) : seated,
      VEHICLE: b.vehicle ? 2 : 0,
    };
  }

  it("free = initial − live bookings; held = provisional, sold = confirmed, after every step; all back at the end", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        emu.reset();
        const initial = await freeOn(emu);
        let n = 0;
        for (const s of steps) {
          const refs = (await control<{ bookings: BookingView[] }>(emu, "bookings")).body.bookings.map(
            (b) => b.agentReference,
          );
          if (s.kind === "book") {
            const party = Array.from({ length: s.people }, (_, i) => ({
              type: "adult" as const,
              firstName: "Test",
              lastName: `Person ${String.fromCharCode(65 + i)}`,
            }));
            for (let i = 0; i < s.infants; i++)
              party.push({ type: "infant" as never, firstName: "Baby", lastName: "Person" });
            const vehicle = s.car ? { type: "car" as const, registration: `CAR ${n}` } : undefined;
            expect(
              (
                await quoteAndBook(emu, `TRV-PROP-${n++}`, {
                  passengers: party,
                  accommodation: s.accommodation,
                  vehicle,
                })
              ).status,
            ).toBe(201);
          } else if (s.kind === "wait") {
            emu.advanceClock(s.minutes * 60_000);
          } else if (refs.length > 0) {
            const agentReference = refs[s.pick % refs.length];
            await call(emu, s.kind === "confirm" ? "ConfirmBooking" : "CancelBooking", { agentReference });
          }
          const bookings = (await control<{ bookings: BookingView[] }>(emu, "bookings")).body.bookings;
          const expected = { ...initial };
          const held: Record<string, number> = {};
          const sold: Record<string, number> = {};
          for (const b of bookings.filter((x) => x.status === "PROVISIONAL" || x.status === "CONFIRMED")) {
            for (const [resource, quantity] of Object.entries(heldBy(b))) {
              expected[resource]! -= quantity;
              const column = b.status === "PROVISIONAL" ? held : sold;
              column[resource] = (column[resource] ?? 0) + quantity;
            }
          }
          expect(await freeOn(emu)).toEqual(expected);
          const rows = (
            await control<{ inventory: Record<string, { held: number; sold: number }> }>(
              emu,
              `inventory?sailingId=${SAILING}`,
            )
          ).body.inventory;
          for (const [resource, row] of Object.entries(rows)) {
            expect([resource, row.held, row.sold]).toEqual([
              resource,
              held[resource] ?? 0,
              sold[resource] ?? 0,
            ]);
          }
        }
        for (const b of (await control<{ bookings: BookingView[] }>(emu, "bookings")).body.bookings) {
          if (b.status === "CONFIRMED")
            await call(emu, "CancelBooking", { agentReference: b.agentReference });
        }
        emu.advanceClock(HOUR);
        expect(await freeOn(emu)).toEqual(initial);
      }),
      { numRuns: 25 },
    );
  });
});
