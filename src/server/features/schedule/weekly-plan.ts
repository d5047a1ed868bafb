import { AppError } from "@/server/lib/errors";
import { addDays, isoWeekday, localTimeToUtc } from "@/shared/dates";

/** The dates and time of a weekly pattern (see WeeklyPattern in timetable.ts). */
export interface WeeklyDates {
  /** ISO weekdays, 1 = Monday … 7 = Sunday, in the departure port's calendar. */
  weekdays: number[];
  /** Local departure time at the departure port, HH:MM. */
  departureTime: string;
  /** Inclusive local dates, YYYY-MM-DD. */
  fromDate: string;
  toDate: string;
}

export interface PlannedSailing {
  departureAt: Date;
  arrivalAt: Date;
}

/**
 * The sailings a weekly pattern describes, computed in the departure port's time zone (DST-safe): each
 * departure is the local wall-clock time on its local date, whatever the offset that day. Pure, so it is
 * tested without a database; planTimetable looks the route up and calls it.
 */
export function planWeekly(
  pattern: WeeklyDates,
  route: { timeZone: string; durationMinutes: number },
): PlannedSailing[] {
  if (pattern.toDate < pattern.fromDate)
    throw new AppError("BAD_REQUEST", "The end date is before the start date.");
  const days = new Set(pattern.weekdays);
  const planned: PlannedSailing[] = [];
  for (let d = pattern.fromDate; d <= pattern.toDate; d = addDays(d, 1)) {
    if (!days.has(isoWeekday(d))) continue;
    const departureAt = localTimeToUtc(d, pattern.departureTime, route.timeZone);
    planned.push({
      departureAt,
      arrivalAt: new Date(departureAt.getTime() + route.durationMinutes * 60_000),
    });
  }
  return planned;
}
