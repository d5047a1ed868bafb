import { describe, expect, it } from "vitest";
import { refundFor } from "@/server/features/booking/policy";

/**
 * The cancellation policy at every band edge, without a database. STANDARD: full refund more than 7 days
 * before departure, half from 7 days to 48 hours, nothing in the last 48 hours. FLEX: full refund more than
 * 24 hours before, half in the last 24 hours. Nothing once the sailing has left. Amounts round half up to
 * the cent. Expected values are written out by hand.
 */
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const departure = new Date("2026-07-15T10:00:00Z");
/** The moment `ms` before departure. */
const beforeDeparture = (ms: number) => new Date(departure.getTime() - ms);
const PAID = 24_000;

describe("STANDARD fares", () => {
  it.each([
    ["30 days before", 30 * DAY, { band: "FULL", percent: 100, amount: 24_000 }],
    ["7 days and 1 ms before", 7 * DAY + 1, { band: "FULL", percent: 100, amount: 24_000 }],
    ["exactly 7 days before", 7 * DAY, { band: "HALF", percent: 50, amount: 12_000 }],
    ["3 days before", 3 * DAY, { band: "HALF", percent: 50, amount: 12_000 }],
    ["48 hours and 1 ms before", 2 * DAY + 1, { band: "HALF", percent: 50, amount: 12_000 }],
    ["exactly 48 hours before", 2 * DAY, { band: "NONE", percent: 0, amount: 0 }],
    ["1 ms before", 1, { band: "NONE", percent: 0, amount: 0 }],
    ["at departure", 0, { band: "DEPARTED", percent: 0, amount: 0 }],
    ["an hour after departure", -HOUR, { band: "DEPARTED", percent: 0, amount: 0 }],
  ] as const)("%s", (_, ahead, expected) => {
    expect(refundFor("STANDARD", departure, beforeDeparture(ahead), PAID)).toEqual(expected);
  });
});

describe("FLEX fares", () => {
  it.each([
    ["3 days before (half on a STANDARD fare)", 3 * DAY, { band: "FULL", percent: 100, amount: 24_000 }],
    ["24 hours and 1 ms before", DAY + 1, { band: "FULL", percent: 100, amount: 24_000 }],
    ["exactly 24 hours before", DAY, { band: "HALF", percent: 50, amount: 12_000 }],
    ["1 ms before (nothing on a STANDARD fare)", 1, { band: "HALF", percent: 50, amount: 12_000 }],
    ["at departure", 0, { band: "DEPARTED", percent: 0, amount: 0 }],
    ["a day after departure", -DAY, { band: "DEPARTED", percent: 0, amount: 0 }],
  ] as const)("%s", (_, ahead, expected) => {
    expect(refundFor("FLEX", departure, beforeDeparture(ahead), PAID)).toEqual(expected);
  });
});

describe("amounts", () => {
  it("rounds half a cent up and never refunds more than was paid", () => {
    const half = (paid: number) => refundFor("STANDARD", departure, beforeDeparture(3 * DAY), paid).amount;
    expect(half(12_345)).toBe(6_173); // 6172.5
    expect(half(12_344)).toBe(6_172);
    expect(half(3)).toBe(2); // 1.5
    expect(half(1)).toBe(1); // 0.5
    expect(half(0)).toBe(0);
    expect(refundFor("FLEX", departure, beforeDeparture(2 * DAY), 12_345).amount).toBe(12_345);
  });
});
