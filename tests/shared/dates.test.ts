import { describe, expect, it } from "vitest";
import {
  addDays,
  ageOn,
  daysBetween,
  isIsoDate,
  isoWeekday,
  localDate,
  localDayBounds,
  localTimeToUtc,
  todayAt,
} from "@/shared/dates";

// vitest runs with TZ=Asia/Kathmandu (+05:45): none of these may depend on the machine's zone.
describe("calendar dates", () => {
  it("adds days across month ends, leap days and years, both ways", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
    expect(addDays("2026-03-29", 0)).toBe("2026-03-29");
    expect(addDays("2026-01-31", 28)).toBe("2026-02-28");
  });

  it("counts whole days between dates, negative when going back", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-03-30", "2026-03-28")).toBe(-2);
    expect(daysBetween("2024-02-01", "2024-03-01")).toBe(29);
  });

  it("accepts only real YYYY-MM-DD dates", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("2026-1-01")).toBe(false);
    expect(isIsoDate("20260101")).toBe(false);
    expect(isIsoDate("")).toBe(false);
  });

  it("numbers weekdays Monday 1 to Sunday 7", () => {
    expect(isoWeekday("2026-03-02")).toBe(1);
    expect(isoWeekday("2026-03-07")).toBe(6);
    expect(isoWeekday("2026-03-08")).toBe(7);
  });

  it("counts a passenger's age in whole years on the day of departure", () => {
    expect(ageOn("2020-03-15", "2024-03-14")).toBe(3);
    expect(ageOn("2020-03-15", "2024-03-15")).toBe(4);
    expect(ageOn("2020-02-29", "2023-02-28")).toBe(2);
    expect(ageOn("2020-02-29", "2023-03-01")).toBe(3);
  });
});

describe("port time zones", () => {
  it("gives the calendar date at the port, not the machine's", () => {
    const instant = new Date("2026-03-28T23:30:00Z");
    expect(localDate(instant, "Europe/Paris")).toBe("2026-03-29");
    expect(localDate(instant, "Africa/Tunis")).toBe("2026-03-29");
    expect(localDate(instant, "America/New_York")).toBe("2026-03-28");
    expect(todayAt("America/New_York", instant)).toBe("2026-03-28");
    expect(todayAt("Asia/Tokyo", instant)).toBe("2026-03-29");
  });

  it("bounds a local day in UTC, 23 hours long when summer time starts", () => {
    const { start, end } = localDayBounds("2026-03-29", "Europe/Paris");
    expect(start.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    const tunis = localDayBounds("2026-07-01", "Africa/Tunis");
    expect(tunis.start.toISOString()).toBe("2026-06-30T23:00:00.000Z");
    expect(tunis.end.toISOString()).toBe("2026-07-01T23:00:00.000Z");
  });

  it("turns a port's wall-clock time into the instant, with the offset of that day", () => {
    expect(localTimeToUtc("2026-07-01", "21:00", "Africa/Tunis").toISOString()).toBe(
      "2026-07-01T20:00:00.000Z",
    );
    expect(localTimeToUtc("2026-07-01", "21:00", "Europe/Paris").toISOString()).toBe(
      "2026-07-01T19:00:00.000Z",
    );
    expect(localTimeToUtc("2026-01-15", "21:00", "Europe/Paris").toISOString()).toBe(
      "2026-01-15T20:00:00.000Z",
    );
  });
});
