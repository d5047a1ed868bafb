// The read side over HTTP: auth, request errors, GetRoutes, GetTimeTables, GetSailings, GetServices
// and GetPrice, with prices worked out by hand from the fare rules in fares.ts.
import { describe, expect, it } from "vitest";
import { bigShip } from "./network";
import {
  call,
  control,
  errorOf,
  freeOn,
  KEY,
  SAILING,
  emulatorForFile,
  startTestEmulator,
  T0,
} from "./test-support";
import type {
  GetPriceResponse,
  GetRoutesResponse,
  GetSailingsResponse,
  GetServicesResponse,
  GetTimeTablesResponse,
} from "./types";

const emu = emulatorForFile();

const family = { adults: 2, children: 1, infants: 0 };

/** GetTimeTables between two ports (TUN → GOA unless told) for a range of dates. */
const timeTables = (fromDate: string, toDate: string, from = "TUN", to = "GOA") =>
  call<GetTimeTablesResponse>(emu, "GetTimeTables", { from, to, fromDate, toDate });

describe("authentication and request errors", () => {
  it("refuses a call without a Bearer key, and accepts any non-empty key by default", async () => {
    const none = await call(emu, "GetRoutes", {}, null);
    expect(none.status).toBe(401);
    expect(errorOf(none).code).toBe("UNAUTHORIZED");
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    const blank = await fetch(`${emu.url}/ferrygateway/v1/GetRoutes`, {
      method: "POST",
      headers: { authorization: "Bearer  " },
      body: "{}",
    });
    expect(blank.status).toBe(401);
    expect((await call(emu, "GetRoutes", {}, "anything-at-all")).status).toBe(200);
  });

  it("accepts only the configured key when started with one", async () => {
    const strict = await startTestEmulator({ apiKey: "only-this" });
    try {
      const wrong = await call(strict, "GetRoutes", {}, "other");
      expect(wrong.status).toBe(401);
      expect(errorOf(wrong).message).toBe("The API key is not valid.");
      expect((await call(strict, "GetRoutes", {}, "only-this")).status).toBe(200);
      // The control API needs no key.
      expect((await control(strict, "calls")).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it("answers 404 for an unknown operation and 405 for the wrong method", async () => {
    const unknown = await call(emu, "GetWeather");
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe("NOT_FOUND");
    const get = await fetch(`${emu.url}/ferrygateway/v1/GetSailings`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("explains a malformed body, an unknown field and an oversized body", async () => {
    const notJson = await call(emu, "GetRoutes", "{nope");
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson)).toEqual({
      code: "VALIDATION_ERROR",
      message: "The request body is not valid JSON.",
    });
    const array = await call(emu, "GetRoutes", "[]");
    expect(errorOf(array).message).toBe("The request body must be a JSON object.");
    const extra = await call(emu, "GetServices", { sailingId: SAILING, colour: "blue" });
    expect(extra.status).toBe(400);
    expect(errorOf(extra).message).toContain("colour");
    const big = await call(emu, "GetRoutes", { pad: "x".repeat(70_000) });
    expect(big.status).toBe(413);
    expect(errorOf(big).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("tags every answer with a request id and the operator code", async () => {
    const reply = await call(emu, "GetRoutes");
    expect(reply.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{16}$/);
    expect(reply.headers.get("x-operator-code")).toBe("GNV");
  });
});

describe("GetRoutes and GetTimeTables", () => {
  it("lists GNV's four directed routes with ports, weekdays and the 120-day window", async () => {
    const { status, body } = await call<GetRoutesResponse>(emu, "GetRoutes");
    expect(status).toBe(200);
    expect(body.operator).toEqual({ code: "GNV", name: "Grandi Navi Veloci" });
    expect(body.ports.map((p) => p.code)).toEqual(["GOA", "PMO", "TUN"]);
    expect(body.routes).toEqual([
      {
        from: "TUN",
        to: "GOA",
        vessel: "La Suprema",
        durationMinutes: 1440,
        weekdays: [2, 4, 7],
        departureTime: "20:00",
      },
      {
        from: "GOA",
        to: "TUN",
        vessel: "La Suprema",
        durationMinutes: 1440,
        weekdays: [2, 4, 6],
        departureTime: "21:00",
      },
      {
        from: "TUN",
        to: "PMO",
        vessel: "Excellent",
        durationMinutes: 600,
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        departureTime: "21:00",
      },
      {
        from: "PMO",
        to: "TUN",
        vessel: "Excellent",
        durationMinutes: 600,
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        departureTime: "20:00",
      },
    ]);
    expect(body.window).toEqual({ fromDate: "2026-12-01", toDate: "2027-03-30" });
  });

  it("lists GRM's routes, Barcelona included", async () => {
    const grm = await startTestEmulator({ code: "GRM" });
    try {
      const { body } = await call<GetRoutesResponse>(grm, "GetRoutes");
      expect(body.routes.map((r) => `${r.from}${r.to}:${r.weekdays.join("")}@${r.departureTime}`)).toEqual([
        "TUNCIV:37@19:30",
        "CIVTUN:25@20:00",
        "TUNSAL:4@16:00",
        "SALTUN:6@14:00",
        "TUNBCN:5@14:00",
        "BCNTUN:7@22:00",
      ]);
    } finally {
      await grm.close();
    }
  });

  it("gives departures on the route's weekdays, local time at the port, UTC instants", async () => {
    const { body } = await timeTables("2026-12-01", "2026-12-14");
    expect(body.departures.map((d) => d.departureDate)).toEqual([
      "2026-12-01",
      "2026-12-03",
      "2026-12-06",
      "2026-12-08",
      "2026-12-10",
      "2026-12-13",
    ]);
    const tenth = body.departures[4]!;
    expect(tenth).toEqual({
      sailingId: SAILING,
      from: "TUN",
      to: "GOA",
      departureDate: "2026-12-10",
      departureTime: "20:00",
      departureAt: "2026-12-10T19:00:00.000Z",
      arrivalAt: "2026-12-11T19:00:00.000Z",
      durationMinutes: 1440,
      vessel: "La Suprema",
      status: "OPEN",
    });
  });

  it("keeps the local departure time across a daylight-saving change (Rome, 28 March 2027)", async () => {
    const { body } = await timeTables("2027-03-27", "2027-03-30", "GOA", "TUN");
    expect(body.departures.map((d) => [d.departureDate, d.departureTime, d.departureAt])).toEqual([
      ["2027-03-27", "21:00", "2027-03-27T20:00:00.000Z"],
      ["2027-03-30", "21:00", "2027-03-30T19:00:00.000Z"],
    ]);
  });

  it("refuses a reversed or too long range and a route the operator does not sail", async () => {
    const reversed = await timeTables("2026-12-05", "2026-12-01");
    expect(errorOf(reversed).message).toBe("toDate must not be before fromDate.");
    const long = await timeTables("2026-12-01", "2027-04-01");
    expect(long.status).toBe(400);
    const other = await timeTables("2026-12-01", "2026-12-02", "TUN", "MRS");
    expect(other.status).toBe(404);
    expect(errorOf(other).code).toBe("ROUTE_NOT_FOUND");
    const badDate = await timeTables("2026-02-30", "2026-03-01");
    expect(errorOf(badDate).message).toBe("fromDate: That date does not exist in the calendar.");
  });
});

describe("GetSailings", () => {
  it("prices each class for the party, vehicle and pet, with free counts", async () => {
    const { status, body } = await call<GetSailingsResponse>(emu, "GetSailings", {
      from: "TUN",
      to: "GOA",
      date: "2026-12-10",
      passengers: family,
      vehicle: { type: "car" },
      pets: 1,
    });
    expect(status).toBe(200);
    expect(body.sailings).toHaveLength(1);
    const sailing = body.sailings[0]!;
    expect(sailing.sailingId).toBe(SAILING);
    // Adults 15900, child 60 % → 9500; car 1.45 × 15900 → 23100; pet 4500. Seat ×1.2, cabins ×1.65 / ×1.95.
    const extras = 23_100 + 4_500;
    expect(sailing.classes.map((c) => [c.accommodation, c.unit, c.price.amount, c.bookable])).toEqual([
      ["DECK", "place", 2 * 15_900 + 9_500 + extras, true],
      ["SEAT", "place", 2 * 19_100 + 11_500 + extras, true],
      ["CABIN_INSIDE", "cabin", 2 * 26_200 + 15_700 + extras, true],
      ["CABIN_OUTSIDE", "cabin", 2 * 31_000 + 18_600 + extras, true],
    ]);
    expect(sailing.classes.every((c) => c.price.currency === "EUR")).toBe(true);
    const free = await freeOn(emu);
    expect(sailing.availability).toEqual(free);
    expect(sailing.classes.map((c) => c.free)).toEqual([
      free.DECK,
      free.SEAT,
      free.CABIN_INSIDE,
      free.CABIN_OUTSIDE,
    ]);
  });

  it("answers an empty list on a day without sailing and beyond the window", async () => {
    for (const date of ["2026-12-11", "2027-04-13"]) {
      const { status, body } = await call<GetSailingsResponse>(emu, "GetSailings", {
        from: "TUN",
        to: "GOA",
        date,
        passengers: family,
      });
      expect(status).toBe(200);
      expect(body.sailings).toEqual([]);
    }
  });

  it("refuses parties the operator does not sell", async () => {
    const base = { from: "TUN", to: "GOA", date: "2026-12-10" };
    const lap = await call(emu, "GetSailings", { ...base, passengers: { adults: 1, infants: 2 } });
    expect(errorOf(lap).message).toBe(
      "passengers.infants: Each infant travels on an adult's lap: at most one infant per adult.",
    );
    const crowd = await call(emu, "GetSailings", { ...base, passengers: { adults: 6, children: 4 } });
    expect(errorOf(crowd).message).toBe("passengers.adults: At most 9 people per booking.");
    const noAdult = await call(emu, "GetSailings", { ...base, passengers: { adults: 0, children: 2 } });
    expect(noAdult.status).toBe(400);
  });

  it("presells a stable share per seed, and nothing with load 0", async () => {
    const twin = await startTestEmulator();
    const other = await startTestEmulator({ seed: 2 });
    const empty = await startTestEmulator({ load: 0 });
    try {
      expect(await freeOn(twin)).toEqual(await freeOn(emu));
      expect(await freeOn(other)).not.toEqual(await freeOn(emu));
      // The sailing's ship (La Suprema) with nothing sold.
      expect(await freeOn(empty)).toEqual(bigShip);
    } finally {
      await Promise.all([twin.close(), other.close(), empty.close()]);
    }
  });
});

describe("GetServices and GetPrice", () => {
  it("lists classes with fares, vehicle classes with limits, kennels and free space", async () => {
    const { status, body } = await call<GetServicesResponse>(emu, "GetServices", { sailingId: SAILING });
    expect(status).toBe(200);
    expect(body.sailing.sailingId).toBe(SAILING);
    expect(body.accommodations[0]).toMatchObject({
      accommodation: "DECK",
      unit: "place",
      berths: null,
      fares: { adult: 15_900, child: 9_500, infant: 1_500 },
    });
    expect(body.accommodations[3]).toMatchObject({
      accommodation: "CABIN_OUTSIDE",
      unit: "cabin",
      berths: 4,
    });
    expect(body.vehicles).toEqual([
      { type: "motorcycle", units: 1, maxHeightCm: 160, maxLengthCm: 250, fare: 11_100 },
      { type: "car", units: 2, maxHeightCm: 190, maxLengthCm: 500, fare: 23_100 },
      { type: "high_car", units: 3, maxHeightCm: 250, maxLengthCm: 600, fare: 33_400 },
      { type: "camper", units: 5, maxHeightCm: 350, maxLengthCm: 900, fare: 47_700 },
    ]);
    expect(body.pets.fare).toBe(4_500);
  });

  it("answers 404 for ids that name no sailing", async () => {
    for (const sailingId of [
      "GNV-TUNGOA-20261211-2000", // a Friday: the route does not sail
      "GNV-TUNGOA-20261210-2100", // wrong time
      "GRM-TUNGOA-20261210-2000", // another operator
      "GNV-TUNGOA-20270610-2000", // beyond the window
      "nonsense",
    ]) {
      const reply = await call(emu, "GetServices", { sailingId });
      expect(reply.status, sailingId).toBe(404);
      expect(errorOf(reply).code).toBe("SAILING_NOT_FOUND");
    }
  });

  it("quotes a selection with lines, a quote id and a validity of 20 minutes", async () => {
    const { status, body } = await call<GetPriceResponse>(emu, "GetPrice", {
      sailingId: SAILING,
      accommodation: "CABIN_INSIDE",
      passengers: { adults: 2, children: 0, infants: 1 },
      vehicle: { type: "motorcycle" },
    });
    expect(status).toBe(200);
    expect(body.quoteId).toMatch(/^Q-[\w-]{12}$/);
    expect(body.lines).toEqual([
      { kind: "passenger", passengerType: "adult", quantity: 2, unitAmount: 26_200, amount: 52_400 },
      { kind: "passenger", passengerType: "infant", quantity: 1, unitAmount: 1_500, amount: 1_500 },
      { kind: "vehicle", vehicleType: "motorcycle", quantity: 1, unitAmount: 11_100, amount: 11_100 },
    ]);
    expect(body.total).toEqual({ amount: 65_000, currency: "EUR" });
    expect(body.validUntil).toBe(new Date(T0 + 20 * 60_000).toISOString());
    expect(body.available).toBe(true);
  });

  it("refuses to price a sailing whose sales closed or that left", async () => {
    const today = "GNV-TUNGOA-20261201-2000"; // departs 19:00Z on T0's day
    emu.setClock(Date.parse("2026-12-01T17:30:00Z"));
    const closed = await call(emu, "GetPrice", {
      sailingId: today,
      accommodation: "DECK",
      passengers: { adults: 1 },
    });
    expect(closed.status).toBe(409);
    expect(errorOf(closed).code).toBe("SALES_CLOSED");
    emu.setClock(Date.parse("2026-12-01T19:00:00Z"));
    const gone = await call(emu, "GetPrice", {
      sailingId: today,
      accommodation: "DECK",
      passengers: { adults: 1 },
    });
    expect(errorOf(gone).code).toBe("SAILING_DEPARTED");
    const { body } = await call<GetServicesResponse>(emu, "GetServices", { sailingId: today });
    expect(body.sailing.status).toBe("DEPARTED");
  });
});
