/**
 * Dates, times and numbers for people to read: traveller pages, admin screens, emails and tickets. Every
 * instant is shown in a port's own zone, never the browser's or the server's, so a traveller in Lyon sees
 * the same "12:00" as the ticket printed in Tunis. Times use a 24-hour clock in every language, as ferry
 * timetables and tickets do. Callers pass the Intl locale they want (pages their URL's language; emails and
 * tickets `intlLocale`). Client-safe.
 */

// Intl formatters are costly to build and immutable: one per (kind, locale, zone) for the process.
const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${key}|${locale}|${options.timeZone ?? ""}`;
  let f = formats.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formats.set(k, f);
  }
  return f;
}

/**
 * The Intl locale of emails and tickets. Arabic uses Tunisia's conventions: Western digits in times,
 * prices and references, which is what travellers on these routes read on their tickets and at the port.
 */
export function intlLocale(locale: "en" | "fr" | "ar"): string {
  return locale === "en" ? "en-GB" : locale === "fr" ? "fr-FR" : "ar-TN";
}

/** "21:30" at the port. */
export function formatTime(locale: string, instant: Date, timeZone: string): string {
  return dateFormat("time", locale, {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}

/** "Mon 3 Mar" at the port. */
export function formatShortDate(locale: string, instant: Date, timeZone: string): string {
  return dateFormat("short", locale, { timeZone, weekday: "short", day: "numeric", month: "short" }).format(
    instant,
  );
}

/** "Monday 3 March" at the port. */
export function formatPortDate(locale: string, instant: Date, timeZone: string): string {
  return dateFormat("day", locale, { timeZone, weekday: "long", day: "numeric", month: "long" }).format(
    instant,
  );
}

/** "Mon 3 Mar 2026, 21:00" at the port; with `offset`, followed by the zone's offset ("GMT+1"). */
export function formatPortDateTime(
  locale: string,
  instant: Date,
  timeZone: string,
  opts: { offset?: boolean } = {},
): string {
  return dateFormat(opts.offset ? "dt+z" : "dt", locale, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: opts.offset ? "shortOffset" : undefined,
  }).format(instant);
}

function zonePart(format: Intl.DateTimeFormat, instant: Date, timeZone: string): string {
  return format.formatToParts(instant).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/** "GMT+1": the zone's offset at that instant, which changes with summer time. */
export function zoneOffset(locale: string, instant: Date, timeZone: string): string {
  return zonePart(dateFormat("offset", locale, { timeZone, timeZoneName: "shortOffset" }), instant, timeZone);
}

/** The zone's name for a reader: "Central European Standard Time", "heure normale d’Europe centrale"… */
export function formatZoneName(locale: string, instant: Date, timeZone: string): string {
  return zonePart(dateFormat("zone", locale, { timeZone, timeZoneName: "long" }), instant, timeZone);
}

const ISO_DATE_STYLES = {
  long: { weekday: "long", day: "numeric", month: "long", year: "numeric" },
  medium: { weekday: "short", day: "numeric", month: "short", year: "numeric" },
  short: { weekday: "short", day: "numeric", month: "short" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * A port-local calendar date (YYYY-MM-DD) as written, with no zone shift: "Monday 3 March 2026" (long),
 * "Mon 3 Mar 2026" (medium), "Mon 3 Mar" (short).
 */
export function formatIsoDate(
  locale: string,
  iso: string,
  style: keyof typeof ISO_DATE_STYLES = "long",
): string {
  return dateFormat(`iso-${style}`, locale, { ...ISO_DATE_STYLES[style], timeZone: "UTC" }).format(
    new Date(`${iso}T12:00:00Z`),
  );
}

/** The pieces of a calendar date for a compact day tile: "Mon", "3", "Mar". */
export function isoDateParts(locale: string, iso: string): { weekday: string; day: string; month: string } {
  const d = new Date(`${iso}T12:00:00Z`);
  const part = (key: string, o: Intl.DateTimeFormatOptions) =>
    dateFormat(key, locale, { ...o, timeZone: "UTC" }).format(d);
  return {
    weekday: part("weekday", { weekday: "short" }),
    day: part("day-of-month", { day: "numeric" }),
    month: part("month", { month: "short" }),
  };
}

/** A count in the reader's digits, without grouping, padded to `minimumIntegerDigits` ("05"). */
export function formatNumber(locale: string, n: number, minimumIntegerDigits = 1): string {
  return new Intl.NumberFormat(locale, { minimumIntegerDigits, useGrouping: false }).format(n);
}

/** A decimal with exactly `fractionDigits` digits after the separator ("2.50"), in the reader's digits. */
export function formatDecimal(locale: string, n: number, fractionDigits: number): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(n);
}

/**
 * A name in another script (a ship, an operator) set inside a translated sentence: wrapped in first-strong
 * isolates so that in Arabic a Latin name does not pull the numbers and punctuation around it out of order.
 */
export function isolateName(name: string): string {
  return `\u2068${name}\u2069`;
}
