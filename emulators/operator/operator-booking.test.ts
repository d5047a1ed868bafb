// Book, ConfirmBooking, RecallBooking: what is taken from inventory, idempotency by agent reference,
// sold out and price changes, and expiry of provisional bookings on the emulator's clock.
import { describe, expect, it } from "vitest";
import {
  call,
  control,
  errorOf,
  freeOn,
  passengers,
  quoteAndBook,
  SAILING,
  emulatorForFile,
  startTestEmulator,
  T0,
} from "./test-support";
import type { BookingResponse, BookingView, GetPriceResponse, GetSailingsResponse } from "./types";

const emu = emulatorForFile();

const MINUTE = 60_000;

describe("Book", () => {
  it("takes exactly the party's places, vehicle units and kennels, PROVISIONAL for 45 minutes", async () => {
    const before = await freeOn(emu);
    const { status, body } = await quoteAndBook(emu, "TRV-4K7QM9ZD-OUT", {
      vehicle: { type: "car", registration: "123 tu 4567" },
      pets: 1,
    });
    expect(status).toBe(201);
    const booking = body.booking;
    expect(booking.operatorReference).toMatch(/^GNV[2-9A-HJ-NP-Z]{6}$/);
    expect(booking).toMatchObject({
      agentReference: "TRV-4K7QM9ZD-OUT",
      status: "PROVISIONAL",
      accommodation: "DECK",
      party: { adults: 2, children: 1, infants: 0 },
      vehicle: { type: "car" },
      pets: 1,
      total: { amount: 2 * 15_900 + 9_500 + 23_100 + 4_500, currency: "EUR" },
      createdAt: new Date(T0).toISOString(),
      expiresAt: new Date(T0 + 45 * MINUTE).toISOString(),
      confirmedAt: null,
      cancellation: null,
    });
    expect(booking.sailing.sailingId).toBe(SAILING);
    const after = await freeOn(emu);
    expect(after).toEqual({
      ...before,
      PASSENGER: before.PASSENGER! - 3,
      DECK: before.DECK! - 3,
      VEHICLE: before.VEHICLE! - 2,
      KENNEL: before.KENNEL! - 1,
    });

    // The booking's personal details reach the operator (and only the control API shows them back).
    const { body: all } = await control<{ bookings: (BookingView & { passengers: unknown[] })[] }>(
      emu,
      "bookings",
    );
    expect(all.bookings).toHaveLength(1);
    expect(all.bookings[0]!.passengers[0]).toEqual({
      type: "adult",
      firstName: "Amira",
      lastName: "Ben Salah",
      dateOfBirth: "1988-04-02",
      nationality: "TN",
      documentNumber: "X1234567",
    });
    expect(JSON.stringify(body)).not.toContain("Amira");
  });

  it("counts whole cabins of four berths; infants take a passenger place but no berth", async () => {
    const before = await freeOn(emu);
    const party = [
      ...passengers,
      { type: "adult" as const, firstName: "Sami", lastName: "Trabelsi" },
      { type: "adult" as const, firstName: "Lina", lastName: "Trabelsi" },
      { type: "infant" as const, firstName: "Nour", lastName: "Trabelsi" },
    ];
    const { status } = await quoteAndBook(emu, "TRV-CABIN-OUT", {
      accommodation: "CABIN_OUTSIDE",
      passengers: party,
    });
    expect(status).toBe(201);
    const after = await freeOn(emu);
    expect(before.PASSENGER! - after.PASSENGER!).toBe(6);
    expect(before.CABIN_OUTSIDE! - after.CABIN_OUTSIDE!).toBe(2);
    expect(after.DECK).toBe(before.DECK);
  });

  it("replays the same booking for the same agent reference and content, refuses other content", async () => {
    const first = await quoteAndBook(emu, "TRV-AAAA2222-OUT");
    const afterFirst = await freeOn(emu);
    // A retry after a timeout fetches a fresh quote: same content, another quoteId.
    const again = await quoteAndBook(emu, "trv-aaaa2222-out");
    expect(again.status).toBe(200);
    expect(again.body.booking.operatorReference).toBe(first.body.booking.operatorReference);
    expect(await freeOn(emu)).toEqual(afterFirst);

    const other = await quoteAndBook(emu, "TRV-AAAA2222-OUT", { accommodation: "SEAT" });
    expect(other.status).toBe(409);
    expect(errorOf(other)).toMatchObject({
      code: "IDEMPOTENCY_CONFLICT",
      details: { operatorReference: first.body.booking.operatorReference },
    });
    expect(await freeOn(emu)).toEqual(afterFirst);
    expect((await control<{ bookings: unknown[] }>(emu, "bookings")).body.bookings).toHaveLength(1);
  });

  it("lets exactly one of two simultaneous bookings have the last places", async () => {
    await control(emu, "availability", { sailingId: SAILING, resources: ["DECK"], free: 3 });
    const [a, b] = await Promise.all([quoteAndBook(emu, "TRV-RACE-A"), quoteAndBook(emu, "TRV-RACE-B")]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(errorOf(loser)).toMatchObject({
      code: "SOLD_OUT",
      details: { resource: "DECK", free: 0, needed: 3 },
    });
    expect((await freeOn(emu)).DECK).toBe(0);
  });

  it("refuses a sold-out sailing, taking nothing, and shows it as not bookable", async () => {
    const quote = await call<GetPriceResponse>(emu, "GetPrice", {
      sailingId: SAILING,
      accommodation: "DECK",
      passengers: { adults: 1 },
    });
    await control(emu, "sold-out", { sailingId: SAILING });
    const before = await freeOn(emu);
    expect(Object.values(before).every((n) => n === 0)).toBe(true);
    const refused = await call(emu, "Book", {
      agentReference: "TRV-SOLD-OUT",
      sailingId: SAILING,
      accommodation: "DECK",
      passengers: [passengers[0]],
      quoteId: quote.body.quoteId,
      expectedTotal: quote.body.total,
    });
    expect(refused.status).toBe(409);
    expect(errorOf(refused).message).toBe("Not enough passenger places left on this sailing.");
    expect((await control<{ bookings: unknown[] }>(emu, "bookings")).body.bookings).toEqual([]);
    const { body } = await call<GetSailingsResponse>(emu, "GetSailings", {
      from: "TUN",
      to: "GOA",
      date: "2026-12-10",
      passengers: { adults: 1 },
    });
    expect(body.sailings[0]!.classes.every((c) => !c.bookable)).toBe(true);
  });

  it("honours a live quote after a fare rise, and answers PRICE_CHANGED with a fresh quote otherwise", async () => {
    const quote = await call<GetPriceResponse>(emu, "GetPrice", {
      sailingId: SAILING,
      accommodation: "DECK",
      passengers: { adults: 1 },
    });
    expect(quote.body.total.amount).toBe(15_900);
    await control(emu, "set-fare", { sailingId: SAILING, base: 17_900 });
    const request = {
      sailingId: SAILING,
      accommodation: "DECK",
      passengers: [passengers[0]],
      expectedTotal: { amount: 15_900, currency: "EUR" },
    };
    const honoured = await call<BookingResponse>(emu, "Book", {
      ...request,
      agentReference: "TRV-QUOTED",
      quoteId: quote.body.quoteId,
    });
    expect(honoured.status).toBe(201);
    expect(honoured.body.booking.total.amount).toBe(15_900);

    const unquoted = await call(emu, "Book", { ...request, agentReference: "TRV-UNQUOTED" });
    expect(unquoted.status).toBe(409);
    const fresh = (errorOf(unquoted).details as { price: GetPriceResponse }).price;
    expect(fresh.total).toEqual({ amount: 17_900, currency: "EUR" });
    const retried = await call<BookingResponse>(emu, "Book", {
      ...request,
      agentReference: "TRV-UNQUOTED",
      quoteId: fresh.quoteId,
      expectedTotal: fresh.total,
    });
    expect(retried.status).toBe(201);
    expect(retried.body.booking.total.amount).toBe(17_900);
  });

  it("stops honouring a quote once it expired, and refuses a quote for another selection", async () => {
    const quote = await call<GetPriceResponse>(emu, "GetPrice", {
      sailingId: SAILING,
      accommodation: "DECK",
      passengers: { adults: 1 },
    });
    const request = {
      sailingId: SAILING,
      passengers: [passengers[0]],
      quoteId: quote.body.quoteId,
      expectedTotal: quote.body.total,
    };
    const mismatch = await call(emu, "Book", {
      ...request,
      agentReference: "TRV-MISMATCH",
      accommodation: "SEAT",
    });
    expect(errorOf(mismatch).code).toBe("QUOTE_MISMATCH");
    await control(emu, "set-fare", { from: "TUN", to: "GOA", base: 16_900 });
    await control(emu, "clock", { advanceMinutes: 20 });
    const late = await call(emu, "Book", { ...request, agentReference: "TRV-LATE", accommodation: "DECK" });
    expect(late.status).toBe(409);
    expect(errorOf(late).code).toBe("PRICE_CHANGED");
  });

  it("checks ages against the departure date, vehicle size, and the sailing", async () => {
    const twelve = await quoteAndBook(emu, "TRV-AGE", {
      passengers: [
        passengers[0]!,
        { type: "child", firstName: "Adam", lastName: "Ben Salah", dateOfBirth: "2014-12-09" },
      ],
    });
    expect(twelve.status).toBe(400);
    expect(errorOf(twelve).message).toBe(
      "passengers.1.dateOfBirth: a child must be 4 to 11 on the departure date (2026-12-10).",
    );
    const tall = await quoteAndBook(emu, "TRV-TALL", {
      vehicle: { type: "car", registration: "AB-123-CD", heightCm: 230 },
    });
    expect(errorOf(tall).code).toBe("VEHICLE_TOO_LARGE");
    const lap = await call(emu, "Book", {
      agentReference: "TRV-LAP",
      sailingId: SAILING,
      accommodation: "DECK",
      passengers: [{ type: "infant", firstName: "Nour", lastName: "Trabelsi" }],
      expectedTotal: { amount: 1_500, currency: "EUR" },
    });
    expect(errorOf(lap).message).toBe("passengers: At least one adult (12 or older) must travel.");
    const nowhere = await call(emu, "Book", {
      agentReference: "TRV-NOWHERE",
      sailingId: "GNV-TUNGOA-20261211-2000",
      accommodation: "DECK",
      passengers,
      expectedTotal: { amount: 1, currency: "EUR" },
    });
    expect(errorOf(nowhere).code).toBe("SAILING_NOT_FOUND");
    expect((await control<{ bookings: unknown[] }>(emu, "bookings")).body.bookings).toEqual([]);
  });
});

describe("ConfirmBooking and RecallBooking", () => {
  it("confirms once, keeps the places taken, and answers the same on a repeat", async () => {
    const before = await freeOn(emu);
    const { body } = await quoteAndBook(emu, "TRV-CONF-OUT");
    const ref = body.booking.operatorReference;
    await control(emu, "clock", { advanceMinutes: 10 });
    const confirmed = await call<BookingResponse>(emu, "ConfirmBooking", { operatorReference: ref });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.booking).toMatchObject({
      status: "CONFIRMED",
      expiresAt: null,
      confirmedAt: new Date(T0 + 10 * MINUTE).toISOString(),
    });
    const again = await call<BookingResponse>(emu, "ConfirmBooking", { agentReference: "TRV-CONF-OUT" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(confirmed.body);
    // Long past the provisional expiry, a confirmed booking keeps its places.
    await control(emu, "clock", { advanceMinutes: 120 });
    const after = await freeOn(emu);
    expect(before.DECK! - after.DECK!).toBe(3);
    expect(before.PASSENGER! - after.PASSENGER!).toBe(3);
  });

  it("expires an unconfirmed booking at expiresAt and gives its places back", async () => {
    const before = await freeOn(emu);
    const { body } = await quoteAndBook(emu, "TRV-LAPSE-OUT");
    const ref = { agentReference: "TRV-LAPSE-OUT" };
    await control(emu, "clock", { advanceMs: 45 * MINUTE - 1 });
    expect((await call<BookingResponse>(emu, "RecallBooking", ref)).body.booking.status).toBe("PROVISIONAL");
    await control(emu, "clock", { advanceMs: 1 });
    const recalled = await call<BookingResponse>(emu, "RecallBooking", {
      operatorReference: body.booking.operatorReference,
    });
    expect(recalled.body.booking).toMatchObject({ status: "EXPIRED", expiresAt: null });
    expect(await freeOn(emu)).toEqual(before);
    const late = await call(emu, "ConfirmBooking", ref);
    expect(late.status).toBe(409);
    expect(errorOf(late).code).toBe("BOOKING_EXPIRED");
    expect(await freeOn(emu)).toEqual(before);
  });

  it("honours a configured provisional lifetime", async () => {
    const quick = await startTestEmulator({ provisionalMinutes: 5 });
    try {
      const { body } = await quoteAndBook(quick, "TRV-QUICK");
      expect(body.booking.expiresAt).toBe(new Date(T0 + 5 * MINUTE).toISOString());
    } finally {
      await quick.close();
    }
  });

  it("finds a booking by either reference, and says 404 when none matches", async () => {
    const { body } = await quoteAndBook(emu, "TRV-FIND-OUT");
    const ref = body.booking.operatorReference;
    const both = await call<BookingResponse>(emu, "RecallBooking", {
      operatorReference: ref,
      agentReference: "TRV-FIND-OUT",
    });
    expect(both.body.booking.operatorReference).toBe(ref);
    const crossed = await call(emu, "RecallBooking", { operatorReference: ref, agentReference: "TRV-OTHER" });
    expect(crossed.status).toBe(404);
    const missing = await call(emu, "RecallBooking", { agentReference: "TRV-NEVER-BOOKED" });
    expect(missing.status).toBe(404);
    expect(errorOf(missing)).toEqual({
      code: "BOOKING_NOT_FOUND",
      message: "No booking matches that reference.",
    });
    const empty = await call(emu, "ConfirmBooking", {});
    expect(errorOf(empty).message).toBe("Give operatorReference or agentReference.");
  });

  it("refuses to confirm a provisional booking whose sailing has left", async () => {
    const slow = await startTestEmulator({ provisionalMinutes: 600 });
    try {
      slow.setClock(Date.parse("2026-12-01T14:00:00Z"));
      const { body } = await quoteAndBook(slow, "TRV-LEFT", { sailingId: "GNV-TUNGOA-20261201-2000" });
      expect(body.booking.status).toBe("PROVISIONAL");
      slow.setClock(Date.parse("2026-12-01T19:00:00Z"));
      const refused = await call(slow, "ConfirmBooking", { agentReference: "TRV-LEFT" });
      expect(errorOf(refused).code).toBe("SAILING_DEPARTED");
    } finally {
      await slow.close();
    }
  });
});
