import { describe, expect, it } from "vitest";
import {
  type EffectiveFares,
  type FareRow,
  quote,
  requiredResources,
  resolveFares,
} from "@/server/features/pricing/quote";

/**
 * The price quote without a database: every expected figure below is worked out by hand from the fares
 * written here, so a wrong multiplication, a missing line or a wrong resource count fails.
 */
const fares: EffectiveFares = {
  currency: "EUR",
  passenger: {
    DECK: { adult: 5000, child: 2500, infant: 0 },
    CABIN_INSIDE: { adult: 12000, child: 6000, infant: 1000 },
    // On sale for adults only: no child or infant fare.
    SEAT: { adult: 7000 },
  },
  vehicle: { car: 9000, motorcycle: 4000 },
  pet: 1500,
};

const party = (adults: number, children = 0, infants = 0) => ({ adults, children, infants });

describe("quote", () => {
  it("prices each passenger type on its own line, in the order adult, child, infant", () => {
    expect(quote(fares, party(2, 1, 1), "CABIN_INSIDE")).toEqual({
      lines: [
        { kind: "passenger", passengerType: "adult", quantity: 2, unitAmount: 12000, amount: 24000 },
        { kind: "passenger", passengerType: "child", quantity: 1, unitAmount: 6000, amount: 6000 },
        { kind: "passenger", passengerType: "infant", quantity: 1, unitAmount: 1000, amount: 1000 },
      ],
      total: 31000,
      currency: "EUR",
    });
  });

  it("leaves out the passenger types nobody travels as", () => {
    expect(quote(fares, party(3), "DECK")).toEqual({
      lines: [{ kind: "passenger", passengerType: "adult", quantity: 3, unitAmount: 5000, amount: 15000 }],
      total: 15000,
      currency: "EUR",
    });
  });

  it("keeps a free infant as a line of 0, so the ticket lists them", () => {
    const q = quote(fares, party(1, 0, 2), "DECK");
    expect(q?.lines).toEqual([
      { kind: "passenger", passengerType: "adult", quantity: 1, unitAmount: 5000, amount: 5000 },
      { kind: "passenger", passengerType: "infant", quantity: 2, unitAmount: 0, amount: 0 },
    ]);
    expect(q?.total).toBe(5000);
  });

  it("adds one vehicle line and a pet line priced per pet", () => {
    const q = quote(fares, party(2, 1), "DECK", { vehicleType: "car", pets: 2 });
    expect(q?.lines.slice(2)).toEqual([
      { kind: "vehicle", vehicleType: "car", quantity: 1, unitAmount: 9000, amount: 9000 },
      { kind: "pet", quantity: 2, unitAmount: 1500, amount: 3000 },
    ]);
    // 2 × 5000 + 2500 + 9000 + 3000
    expect(q?.total).toBe(24500);
  });

  it("answers in the fares' currency", () => {
    expect(quote({ ...fares, currency: "TND" }, party(1), "DECK")?.currency).toBe("TND");
  });

  it("is null when a fare the party needs is not on sale", () => {
    // No fare at all for the accommodation.
    expect(quote(fares, party(1), "CABIN_OUTSIDE")).toBeNull();
    // The accommodation sells to adults only: a child makes the whole quote impossible …
    expect(quote(fares, party(1, 1), "SEAT")).toBeNull();
    expect(quote(fares, party(1, 0, 1), "SEAT")).toBeNull();
    // … while adults alone are priced.
    expect(quote(fares, party(2), "SEAT")?.total).toBe(14000);
    // A vehicle class without a supplement, and pets when no pet fare exists.
    expect(quote(fares, party(1), "DECK", { vehicleType: "camper" })).toBeNull();
    expect(quote({ ...fares, pet: null }, party(1), "DECK", { pets: 1 })).toBeNull();
  });

  it("needs no pet fare when nobody brings a pet", () => {
    expect(quote({ ...fares, pet: null }, party(1), "DECK", { pets: 0 })?.total).toBe(5000);
  });
});

describe("requiredResources", () => {
  it("counts infants as passengers but gives them no deck place (they sit on a lap)", () => {
    expect(requiredResources(party(2, 1, 1), "DECK")).toEqual({ PASSENGER: 4, DECK: 3 });
    expect(requiredResources(party(1, 0, 2), "SEAT")).toEqual({ PASSENGER: 3, SEAT: 1 });
  });

  it("books whole cabins of 4 berths for everyone but infants", () => {
    expect(requiredResources(party(1), "CABIN_INSIDE")).toEqual({ PASSENGER: 1, CABIN_INSIDE: 1 });
    expect(requiredResources(party(2, 2), "CABIN_INSIDE")).toEqual({ PASSENGER: 4, CABIN_INSIDE: 1 });
    expect(requiredResources(party(3, 2), "CABIN_OUTSIDE")).toEqual({ PASSENGER: 5, CABIN_OUTSIDE: 2 });
    expect(requiredResources(party(4, 4), "CABIN_OUTSIDE")).toEqual({ PASSENGER: 8, CABIN_OUTSIDE: 2 });
    expect(requiredResources(party(5, 4), "CABIN_INSIDE")).toEqual({ PASSENGER: 9, CABIN_INSIDE: 3 });
    // Four seated travellers and two infants still fit in one cabin.
    expect(requiredResources(party(4, 0, 2), "CABIN_INSIDE")).toEqual({ PASSENGER: 6, CABIN_INSIDE: 1 });
  });

  it("takes garage units by vehicle class and one kennel per pet", () => {
    expect(requiredResources(party(1), "DECK", { vehicleType: "motorcycle" }).VEHICLE).toBe(1);
    expect(requiredResources(party(1), "DECK", { vehicleType: "car" }).VEHICLE).toBe(2);
    expect(requiredResources(party(1), "DECK", { vehicleType: "high_car" }).VEHICLE).toBe(3);
    expect(requiredResources(party(1), "DECK", { vehicleType: "camper", pets: 2 })).toEqual({
      PASSENGER: 1,
      DECK: 1,
      VEHICLE: 5,
      KENNEL: 2,
    });
    expect(requiredResources(party(1), "DECK", { pets: 0 })).toEqual({ PASSENGER: 1, DECK: 1 });
  });
});

describe("resolveFares", () => {
  const row = (over: Partial<FareRow>): FareRow => ({
    sailingId: null,
    kind: "PASSENGER",
    accommodation: "DECK",
    passengerType: "adult",
    vehicleType: null,
    amount: 0,
    currency: "EUR",
    ...over,
  });

  it("builds the route's tables from its default rows", () => {
    expect(
      resolveFares([
        row({ amount: 5000 }),
        row({ passengerType: "child", amount: 2500 }),
        row({ accommodation: "CABIN_INSIDE", amount: 12000 }),
        row({ kind: "VEHICLE", accommodation: null, passengerType: null, vehicleType: "car", amount: 9000 }),
        row({ kind: "PET", accommodation: null, passengerType: null, amount: 1500 }),
      ]),
    ).toEqual({
      currency: "EUR",
      passenger: { DECK: { adult: 5000, child: 2500 }, CABIN_INSIDE: { adult: 12000 } },
      vehicle: { car: 9000 },
      pet: 1500,
    });
  });

  it("lets a sailing's override win over the route default, whatever the row order", () => {
    const rows = [
      row({ sailingId: 7, amount: 4000 }),
      row({ amount: 5000 }),
      row({ passengerType: "child", amount: 2500 }),
      row({ sailingId: 7, kind: "PET", accommodation: null, passengerType: null, amount: 900 }),
      row({ kind: "PET", accommodation: null, passengerType: null, amount: 1500 }),
    ];
    const fares = resolveFares(rows);
    // The override replaces the adult fare only; the child fare stays the route's.
    expect(fares.passenger.DECK).toEqual({ adult: 4000, child: 2500 });
    expect(fares.pet).toBe(900);
    expect(resolveFares([...rows].reverse())).toEqual(fares);
  });

  it("takes the rows' currency, and knows nothing when there is no row", () => {
    expect(resolveFares([row({ amount: 150000, currency: "TND" })]).currency).toBe("TND");
    expect(resolveFares([])).toEqual({ currency: "EUR", passenger: {}, vehicle: {}, pet: null });
  });

  it("ignores rows that do not say what they price", () => {
    expect(
      resolveFares([
        row({ accommodation: null, amount: 100 }),
        row({ passengerType: null, amount: 200 }),
        row({ kind: "VEHICLE", accommodation: null, passengerType: null, vehicleType: null, amount: 300 }),
      ]),
    ).toEqual({ currency: "EUR", passenger: {}, vehicle: {}, pet: null });
  });
});
