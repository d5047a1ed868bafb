/**
 * Intl formatting for traveller pages. Every instant is shown in a port's own zone, never the
 * browser's or the server's, so a traveller in Lyon sees the same "12:00" as the ticket printed in Tunis.
 * Times use a 24-hour clock in every language, as ferry timetables and tickets do.
 */

export function formatMoney(
  locale: string,
  amount: number,
  currency: string,
  opts: { compact?: boolean } = {},
): string {
  const nf = new Intl.NumberFormat(locale, { style: "currency", currency });
  // Amounts are minor units; the currency's own exponent says how many (EUR 2, TND 3, JPY 0).
  const digits = nf.resolvedOptions().maximumFractionDigits ?? 2;
  const value = amount / 10 ** digits;
  // Compact (day strip, suggestions): "€165" rather than "€165.00" where space is short.
  if (opts.compact && Number.isInteger(value))
    return new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(
      value,
    );
  return nf.format(value);
}

export function formatTime(locale: string, instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}

export function formatShortDate(locale: string, instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
  }).format(instant);
}

/** A port-local calendar date (YYYY-MM-DD) formatted as written, with no zone shift. */
export function formatIsoDate(
  locale: string,
  iso: string,
  style: "long" | "short" | "parts" = "long",
): string {
  const d = new Date(`${iso}T12:00:00Z`);
  const opts: Intl.DateTimeFormatOptions =
    style === "long"
      ? { weekday: "long", day: "numeric", month: "long", year: "numeric" }
      : { weekday: "short", day: "numeric", month: "short" };
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone: "UTC" }).format(d);
}

export function isoDateParts(locale: string, iso: string): { weekday: string; day: string; month: string } {
  const d = new Date(`${iso}T12:00:00Z`);
  const f = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { ...o, timeZone: "UTC" }).format(d);
  return { weekday: f({ weekday: "short" }), day: f({ day: "numeric" }), month: f({ month: "short" }) };
}

/** "GMT+1": the zone's offset at that instant, which changes with summer time. */
export function zoneOffset(locale: string, instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "shortOffset" }).formatToParts(
    instant,
  );
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

export function localDateOf(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

export function formatNumber(locale: string, n: number, minimumIntegerDigits = 1): string {
  return new Intl.NumberFormat(locale, { minimumIntegerDigits, useGrouping: false }).format(n);
}

/**
 * A name in another script (a ship, an operator) set inside a translated sentence: wrapped in first-strong
 * isolates so that in Arabic a Latin name does not pull the numbers and punctuation around it out of order.
 */
export function isolateName(name: string): string {
  return `\u2068${name}\u2069`;
}
