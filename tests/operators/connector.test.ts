import { describe, expect, it } from "vitest";
import { control, freeOn, T0 } from "../../emulators/operator/test-support";
import { gnvForFile, DECK_TOTAL, holdRequest, inventoryOf, PARTY, quoteFor, SAILING } from "./support";

// Every connector operation against the real operator emulator, checked down to the domain types:
// Dates for instants (the emulator speaks UTC strings), money as minor units with a currency.

const { emu, gnv } = gnvForFile();

const MINUTE = 60_000;

describe("FerryGateway JSON connector: catalogue", () => {
  it("routes() maps the operator's network", async () => {
    const network = await gnv.routes();
    expect(network.operatorCode).toBe("GNV");
    expect(network.ports.map((p) => p.code).sort()).toEqual(["GOA", "PMO", "TUN"]);
    const goa = network.routes.find((r) => r.from === "TUN" && r.to === "GOA");
    expect(goa).toEqual({
      from: "TUN",
      to: "GOA",
      vesselName: "La Suprema",
      durationMinutes: 24 * 60,
      weekdays: [2, 4, 7],
      departureTime: "20:00",
    });
    expect(network.window.fromDate).toBe("2026-12-01");
  });

  it("sailings() answers the day's sailings priced for the party, with UTC Dates and money in cents", async () => {
    const offers = await gnv.sailings({ from: "TUN", to: "GOA" }, "2026-12-10", PARTY);
    expect(offers).toHaveLength(1);
    const s = offers[0]!;
    expect(s.sailingRef).toBe(SAILING);
    expect(s.operatorCode).toBe("GNV");
    expect(s.departureAt).toBeInstanceOf(Date);
    // 20:00 in Tunis (UTC+1) is 19:00Z, whatever the zone this process runs in.
    expect(s.departureAt.toISOString()).toBe("2026-12-10T19:00:00.000Z");
    expect(s.arrivalAt.toISOString()).toBe("2026-12-11T19:00:00.000Z");
    expect(s).toMatchObject({ localDate: "2026-12-10", status: "SCHEDULED", onSale: true, departed: false });
    expect(s.vesselName).toBe("La Suprema");
    const deck = s.classes.find((c) => c.accommodation === "DECK")!;
    expect(deck).toMatchObject({
      unit: "place",
      bookable: true,
      total: { amount: DECK_TOTAL, currency: "EUR" },
    });
    const cabin = s.classes.find((c) => c.accommodation === "CABIN_INSIDE")!;
    expect(cabin.total).toEqual({ amount: 91_200, currency: "EUR" });
    expect(cabin.unit).toBe("cabin");
    // The free counts are the operator's, resource by resource.
    expect(s.free).toEqual(await freeOn(emu));
  });

  it("sailings() answers an empty list on a day the route does not sail", async () => {
    expect(await gnv.sailings({ from: "TUN", to: "GOA" }, "2026-12-09", PARTY)).toEqual([]);
  });

  it("price() answers a quote with typed lines that add up to the total", async () => {
    const q = await quoteFor(gnv);
    expect(q.total).toEqual({ amount: DECK_TOTAL, currency: "EUR" });
    expect(q.validUntil.getTime()).toBe(T0 + 20 * MINUTE);
    expect(q.available).toBe(true);
    expect(q.lines).toEqual([
      {
        kind: "PASSENGER",
        passengerType: "adult",
        quantity: 2,
        unitAmount: 15_900,
        amount: 31_800,
        currency: "EUR",
      },
      {
        kind: "PASSENGER",
        passengerType: "child",
        quantity: 1,
        unitAmount: 9_500,
        amount: 9_500,
        currency: "EUR",
      },
      {
        kind: "VEHICLE",
        vehicleType: "car",
        quantity: 1,
        unitAmount: 23_100,
        amount: 23_100,
        currency: "EUR",
      },
    ]);
  });
});

describe("FerryGateway JSON connector: a booking's life", () => {
  it("hold → confirm → recall → cancelCharge → cancel, each mapped, places taken and given back", async () => {
    const before = await inventoryOf(emu);
    const q = await quoteFor(gnv);

    const held = await gnv.hold(holdRequest("TRV-4K7QM9ZD-OUT", q));
    expect(held.operatorReference).toMatch(/^GNV[2-9A-HJ-NP-Z]{6}$/);
    expect(held).toMatchObject({
      operatorCode: "GNV",
      agentReference: "TRV-4K7QM9ZD-OUT",
      status: "PROVISIONAL",
      accommodation: "DECK",
      party: { adults: 2, children: 1, infants: 0 },
      vehicle: "car",
      pets: 0,
      total: { amount: DECK_TOTAL, currency: "EUR" },
      confirmedAt: null,
      cancellation: null,
    });
    expect(held.createdAt.getTime()).toBe(T0);
    expect(held.expiresAt?.getTime()).toBe(T0 + 45 * MINUTE);
    expect(held.sailing.departureAt.toISOString()).toBe("2026-12-10T19:00:00.000Z");
    const holding = await inventoryOf(emu);
    expect(holding.DECK!.held - before.DECK!.held).toBe(3);
    expect(holding.PASSENGER!.held - before.PASSENGER!.held).toBe(3);
    expect(holding.VEHICLE!.held - before.VEHICLE!.held).toBe(2);

    const confirmed = await gnv.confirm({ agentReference: "TRV-4K7QM9ZD-OUT" });
    expect(confirmed.status).toBe("CONFIRMED");
    expect(confirmed.confirmedAt?.getTime()).toBe(T0);
    expect(confirmed.expiresAt).toBeNull();
    const sold = await inventoryOf(emu);
    expect(sold.DECK!.sold - before.DECK!.sold).toBe(3);
    expect(sold.DECK!.held).toBe(before.DECK!.held);

    const recalled = await gnv.recall({ operatorReference: held.operatorReference });
    expect(recalled.status).toBe("CONFIRMED");
    expect(recalled.agentReference).toBe("TRV-4K7QM9ZD-OUT");

    // Nine days before departure: the more-than-7-days band, 10 % charged.
    const charge = await gnv.cancelCharge({ agentReference: "TRV-4K7QM9ZD-OUT" });
    expect(charge).toMatchObject({
      band: "MORE_THAN_7_DAYS",
      percent: 10,
      charge: { amount: 6_440, currency: "EUR" },
      refund: { amount: 57_960, currency: "EUR" },
    });
    expect(charge.booking.status).toBe("CONFIRMED");

    const cancelled = await gnv.cancel({ agentReference: "TRV-4K7QM9ZD-OUT" }, charge.charge);
    expect(cancelled.booking.status).toBe("CANCELLED");
    expect(cancelled.refund).toEqual({ amount: 57_960, currency: "EUR" });
    expect(cancelled.booking.cancellation).toMatchObject({ band: "MORE_THAN_7_DAYS", by: "AGENT" });
    expect(cancelled.booking.cancellation?.at).toBeInstanceOf(Date);
    const after = await inventoryOf(emu);
    expect(after.DECK).toEqual(before.DECK);
    expect(after.VEHICLE).toEqual(before.VEHICLE);
  });

  it("changes() maps every kind of change and resumes from its cursor", async () => {
    const first = await gnv.changes(null);
    expect(first.changes).toEqual([]);
    expect(first.hasMore).toBe(false);

    await gnv.hold(holdRequest("TRV-CHANGES1-OUT"));
    await control(emu, "move-sailing", { sailingId: SAILING, shiftMinutes: 90 });
    await control(emu, "set-fare", { sailingId: SAILING, base: 16_900 });
    await control(emu, "cancel-sailing", { sailingId: SAILING, reason: "weather" });

    const page = await gnv.changes(first.nextCursor);
    expect(page.changes.map((c) => c.type)).toEqual([
      "SCHEDULE_CHANGED",
      "FARE_CHANGED",
      "SAILING_CANCELLED",
      "BOOKING_CANCELLED",
    ]);
    const [moved, fare, cancelled, booking] = page.changes;
    if (moved?.type !== "SCHEDULE_CHANGED") throw new Error("expected SCHEDULE_CHANGED");
    expect(moved.sailingRef).toBe(SAILING);
    expect(moved.previous.departureAt.toISOString()).toBe("2026-12-10T19:00:00.000Z");
    expect(moved.current.departureAt.toISOString()).toBe("2026-12-10T20:30:00.000Z");
    expect(moved.occurredAt).toBeInstanceOf(Date);
    expect(moved.dates).toContain("2026-12-10");
    if (fare?.type !== "FARE_CHANGED") throw new Error("expected FARE_CHANGED");
    expect(fare.sailingRef).toBe(SAILING);
    if (cancelled?.type !== "SAILING_CANCELLED") throw new Error("expected SAILING_CANCELLED");
    expect(cancelled).toMatchObject({ reason: "weather", affectedBookings: 1 });
    if (booking?.type !== "BOOKING_CANCELLED") throw new Error("expected BOOKING_CANCELLED");
    expect(booking).toMatchObject({ agentReference: "TRV-CHANGES1-OUT" });
    expect(booking.refund.currency).toBe("EUR");
    expect(new Set(page.changes.map((c) => c.id)).size).toBe(4);

    // Nothing new: the same cursor comes back, and no change is read twice.
    const again = await gnv.changes(page.nextCursor);
    expect(again.changes).toEqual([]);
    expect(again.nextCursor).toBe(page.nextCursor);

    // A limit pages through the feed, each change's own cursor resuming right after it.
    const two = await gnv.changes(first.nextCursor, 2);
    expect(two.changes).toHaveLength(2);
    expect(two.hasMore).toBe(true);
    const rest = await gnv.changes(two.changes[1]!.cursor);
    expect(rest.changes.map((c) => c.id)).toEqual(page.changes.slice(2).map((c) => c.id));
  });
});
