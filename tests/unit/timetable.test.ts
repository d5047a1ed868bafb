import { describe, expect, it } from "vitest";
import { planWeekly } from "@/server/features/schedule/weekly-plan";
import { AppError } from "@/server/lib/errors";

/**
 * Timetable generation without a database: which local dates a weekly pattern sails on, and the UTC
 * instants of its local departure time in the departure port's zone, across daylight-saving changes. The
 * suite runs with TZ=Asia/Kathmandu, so a computation in the machine's zone would be off by hours. Expected
 * instants are worked out by hand: Tunis is UTC+1 all year; Marseille (Europe/Paris) is UTC+1 in winter
 * and UTC+2 from 29 March to 25 October 2026 (the changes happen on those Sundays' early mornings).
 */
const TUNIS = { timeZone: "Africa/Tunis", durationMinutes: 20 * 60 };
const MARSEILLE = { timeZone: "Europe/Paris", durationMinutes: 20 * 60 };
const iso = (planned: { departureAt: Date; arrivalAt: Date }[]) =>
  planned.map((p) => [p.departureAt.toISOString(), p.arrivalAt.toISOString()]);

describe("planWeekly", () => {
  it("sails on the pattern's weekdays only (1 = Monday … 7 = Sunday), arriving after the crossing time", () => {
    // 2 March 2026 is a Monday, 8 March a Sunday.
    const week = { fromDate: "2026-03-02", toDate: "2026-03-08", departureTime: "12:00" };
    expect(iso(planWeekly({ ...week, weekdays: [1, 3, 5] }, TUNIS))).toEqual([
      ["2026-03-02T11:00:00.000Z", "2026-03-03T07:00:00.000Z"],
      ["2026-03-04T11:00:00.000Z", "2026-03-05T07:00:00.000Z"],
      ["2026-03-06T11:00:00.000Z", "2026-03-07T07:00:00.000Z"],
    ]);
    expect(iso(planWeekly({ ...week, weekdays: [7] }, TUNIS))).toEqual([
      ["2026-03-08T11:00:00.000Z", "2026-03-09T07:00:00.000Z"],
    ]);
    expect(planWeekly({ ...week, weekdays: [] }, TUNIS)).toEqual([]);
  });

  it("includes both ends of the date range", () => {
    const oneDay = { fromDate: "2026-03-02", toDate: "2026-03-02", departureTime: "09:30" };
    expect(iso(planWeekly({ ...oneDay, weekdays: [1] }, TUNIS))).toEqual([
      ["2026-03-02T08:30:00.000Z", "2026-03-03T04:30:00.000Z"],
    ]);
    // A single Monday, but the pattern sails on Tuesdays: nothing.
    expect(planWeekly({ ...oneDay, weekdays: [2] }, TUNIS)).toEqual([]);
    // Across a year end: Wednesday 30 December 2026 to Saturday 2 January 2027, every day.
    const dailyAt18 = (fromDate: string, toDate: string) =>
      planWeekly({ fromDate, toDate, departureTime: "18:00", weekdays: [1, 2, 3, 4, 5, 6, 7] }, TUNIS).map(
        (p) => p.departureAt.toISOString(),
      );
    expect(dailyAt18("2026-12-30", "2027-01-02")).toEqual([
      "2026-12-30T17:00:00.000Z",
      "2026-12-31T17:00:00.000Z",
      "2027-01-01T17:00:00.000Z",
      "2027-01-02T17:00:00.000Z",
    ]);
    // A leap day is a day like any other.
    expect(dailyAt18("2028-02-28", "2028-03-01")).toEqual([
      "2028-02-28T17:00:00.000Z",
      "2028-02-29T17:00:00.000Z",
      "2028-03-01T17:00:00.000Z",
    ]);
  });

  it("refuses a range that ends before it starts, with a message a person can act on", () => {
    const backwards = { fromDate: "2026-03-08", toDate: "2026-03-02", departureTime: "12:00", weekdays: [1] };
    expect(() => planWeekly(backwards, TUNIS)).toThrow(AppError);
    expect(() => planWeekly(backwards, TUNIS)).toThrow("The end date is before the start date.");
  });

  it("keeps the local departure time when the clocks go forward (23 hours between two sailings)", () => {
    // Saturday 28 to Monday 30 March 2026, 21:00 in Marseille: UTC+1, then UTC+2.
    const spring = {
      fromDate: "2026-03-28",
      toDate: "2026-03-30",
      departureTime: "21:00",
      weekdays: [1, 6, 7],
    };
    expect(iso(planWeekly(spring, MARSEILLE))).toEqual([
      // The crossing lasts 20 real hours, whatever the wall clock did meanwhile.
      ["2026-03-28T20:00:00.000Z", "2026-03-29T16:00:00.000Z"],
      ["2026-03-29T19:00:00.000Z", "2026-03-30T15:00:00.000Z"],
      ["2026-03-30T19:00:00.000Z", "2026-03-31T15:00:00.000Z"],
    ]);
    // The same pattern from Tunis (no daylight saving) does not move.
    expect(planWeekly(spring, TUNIS).map((p) => p.departureAt.toISOString())).toEqual([
      "2026-03-28T20:00:00.000Z",
      "2026-03-29T20:00:00.000Z",
      "2026-03-30T20:00:00.000Z",
    ]);
  });

  it("keeps the local departure time when the clocks go back (25 hours between two sailings)", () => {
    const autumn = { fromDate: "2026-10-24", toDate: "2026-10-25", departureTime: "21:00", weekdays: [6, 7] };
    expect(planWeekly(autumn, MARSEILLE).map((p) => p.departureAt.toISOString())).toEqual([
      "2026-10-24T19:00:00.000Z",
      "2026-10-25T20:00:00.000Z",
    ]);
  });
});
