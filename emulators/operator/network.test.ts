// The timetables and fare rules as pure data: returns sail the day after the outbound arrives,
// sailing ids name exactly one timetable entry, and fares derive like seedDatabase's.
import { describe, expect, it } from "vitest";
import { derivedFare, fareLookup } from "./fares";
import { addDays, operatorRoutes, parseSailingId, plannedSailing, portOf, utcToLocal } from "./network";
import { operatorCodes } from "./types";

describe("timetables", () => {
  it.each(operatorCodes)("%s: every return departs on the local day after an outbound arrives", (code) => {
    const routes = operatorRoutes(code);
    for (const outbound of routes.filter((r) => r.from === "TUN")) {
      const back = routes.find((r) => r.from === outbound.to && r.to === "TUN")!;
      const returnDates = new Set<string>();
      const expected = new Set<string>();
      // Two weeks in winter and two in summer, so both sides of daylight saving are covered.
      for (const start of ["2026-12-07", "2027-06-07"]) {
        // Outbounds from a few days earlier too: the first returns of the fortnight follow them.
        for (let day = -4; day < 14; day++) {
          const date = addDays(start, day);
          const out = plannedSailing(code, outbound, date);
          if (out) expected.add(addDays(utcToLocal(out.arrivalMs, portOf(outbound.to).timeZone).date, 1));
          if (day >= 0 && plannedSailing(code, back, date)) returnDates.add(date);
        }
      }
      for (const date of returnDates) expect(expected.has(date), `${back.key} on ${date}`).toBe(true);
      // …and every arrival is followed by a return the next day.
      const windows = ["2026-12-07", "2027-06-07"].map((start) => [start, addDays(start, 13)] as const);
      for (const date of expected) {
        if (windows.some(([a, b]) => date >= a && date <= b))
          expect(returnDates.has(date), `${back.key} on ${date}`).toBe(true);
      }
      expect(returnDates.size).toBeGreaterThan(0);
    }
  });

  it("reads a sailing id back to its timetable entry and nothing else", () => {
    const routes = operatorRoutes("GRM");
    const bcn = routes.find((r) => r.key === "TUNBCN")!;
    const sailing = plannedSailing("GRM", bcn, "2026-12-04")!;
    expect(sailing.id).toBe("GRM-TUNBCN-20261204-1400");
    expect(new Date(sailing.departureMs).toISOString()).toBe("2026-12-04T13:00:00.000Z");
    expect(new Date(sailing.arrivalMs).toISOString()).toBe("2026-12-05T18:00:00.000Z");
    expect(parseSailingId("GRM", routes, sailing.id)).toEqual(sailing);
    expect(plannedSailing("GRM", bcn, "2026-12-05")).toBeNull();
    for (const id of [
      "GRM-TUNBCN-20261205-1400",
      "GRM-TUNBCN-20261204-1500",
      "GNV-TUNBCN-20261204-1400",
      "GRM-TUNBCN-20261304-1400",
    ]) {
      expect(parseSailingId("GRM", routes, id), id).toBeNull();
    }
  });
});

describe("fares", () => {
  it("derive from the base like the seed: class factors, children 60 %, infants port tax, vehicles, pets", () => {
    expect(derivedFare(14_900, "passenger:DECK:adult")).toBe(14_900);
    expect(derivedFare(14_900, "passenger:SEAT:adult")).toBe(17_900);
    expect(derivedFare(14_900, "passenger:CABIN_INSIDE:child")).toBe(14_800);
    expect(derivedFare(14_900, "passenger:CABIN_OUTSIDE:infant")).toBe(1_500);
    expect(derivedFare(14_900, "vehicle:camper")).toBe(44_700);
    expect(derivedFare(14_900, "pet")).toBe(4_500);
  });

  it("let a sailing's override win over the route's, and a new base reset single fares", () => {
    const route = { lines: { pet: 5_000 } };
    expect(fareLookup(10_000, route)("pet")).toBe(5_000);
    expect(fareLookup(10_000, route, { lines: { pet: 7_000 } })("pet")).toBe(7_000);
    expect(fareLookup(10_000, route, { base: 12_000, lines: {} })("pet")).toBe(4_500);
    expect(fareLookup(10_000, route, { base: 12_000, lines: {} })("passenger:DECK:adult")).toBe(12_000);
    expect(fareLookup(10_000, { base: 11_000, lines: {} })("passenger:DECK:child")).toBe(6_600);
  });
});
