import { TZDate } from "@date-fns/tz";

/**
 * Calendar dates and port time zones, for the server (search windows, timetables, emails) and the pages
 * alike. Times are stored in UTC and shown in the port's own zone; a "date" here is a port-local calendar
 * date written YYYY-MM-DD, never a browser-local one. Client-safe.
 */

/** True for a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isIsoDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** ISO day of week for a YYYY-MM-DD date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

// One formatter for the process: building Intl formatters is costly, and these are immutable.
const localDateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date (YYYY-MM-DD) of an instant at a port. */
export function localDate(instant: Date, timeZone: string): string {
  let f = localDateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    localDateFormats.set(timeZone, f);
  }
  return f.format(instant);
}

/** Today's calendar date at a port: searches and timetables are always in the departure port's days. */
export function todayAt(timeZone: string, now = new Date()): string {
  return localDate(now, timeZone);
}

/** [start, end) in UTC of the local calendar day `date` (YYYY-MM-DD) in `timeZone`. */
export function localDayBounds(date: string, timeZone: string): { start: Date; end: Date } {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const start = new TZDate(y, m - 1, d, 0, 0, 0, timeZone);
  const end = new TZDate(y, m - 1, d + 1, 0, 0, 0, timeZone);
  return { start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

/** A UTC instant for a local wall-clock time (HH:MM) at a port. */
export function localTimeToUtc(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, d, hh, mm, 0, timeZone).getTime());
}

/** Whole years between a birth date and a day, both YYYY-MM-DD: the age a passenger travels at. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = on.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
