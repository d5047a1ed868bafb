/**
 * Formatting for the admin (English only). Instants are always shown in a port's own time zone, never the
 * browser's: an admin in Paris editing a Tunis departure sees Tunis time, as travellers and tickets do.
 */

const LOCALE = "en-GB";

/** Minor units → "€89.00", using the currency's own exponent (EUR 2, TND 3, JPY 0). */
export function money(amount: number, currency: string): string {
  const nf = new Intl.NumberFormat(LOCALE, { style: "currency", currency });
  const digits = nf.resolvedOptions().maximumFractionDigits ?? 2;
  return nf.format(amount / 10 ** digits);
}

export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat(LOCALE, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
    2
  );
}

/** Minor units → the plain decimal an admin types ("89.00"), for pre-filling inputs. */
export function toMajorString(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/**
 * "89", "89.5", "89.50" or "1 234,50"-free input → minor units, without floating point (0.1 + 0.2 …).
 * Returns null when the text is not an amount with at most the currency's decimals.
 */
export function parseMajor(text: string, currency = "EUR"): number | null {
  const digits = currencyDigits(currency);
  const t = text.trim().replace(/^€\s*/, "");
  const re = digits > 0 ? new RegExp(`^(\\d{1,7})(?:[.,](\\d{1,${digits}}))?$`) : /^(\d{1,9})()$/;
  const m = re.exec(t);
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = Number((m[2] ?? "").padEnd(digits, "0") || "0");
  return whole * 10 ** digits + frac;
}

/** "Mon 3 Mar 2026, 21:00 GMT+1" in the given zone. */
export function dateTime(instant: Date | string, timeZone: string, opts: { zone?: boolean } = {}): string {
  const d = typeof instant === "string" ? new Date(instant) : instant;
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: opts.zone === false ? undefined : "shortOffset",
  }).format(d);
}

export function time(instant: Date | string, timeZone: string): string {
  const d = typeof instant === "string" ? new Date(instant) : instant;
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(d);
}

export function zoneOffset(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(LOCALE, { timeZone, timeZoneName: "shortOffset" }).formatToParts(
    instant,
  );
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/** An ISO calendar date as written ("Mon 3 Mar 2026"), with no zone shift. */
export function isoDate(iso: string, style: "long" | "short" = "short"): string {
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: "UTC",
    weekday: style === "long" ? "long" : "short",
    day: "numeric",
    month: style === "long" ? "long" : "short",
    year: "numeric",
  }).format(new Date(`${iso}T12:00:00Z`));
}

/**
 * Admin-wide instants that belong to no port (audit rows, emails, jobs) are shown in the admin's own zone,
 * labelled with its offset so nobody mistakes them for port time.
 */
export function when(instant: Date | string | null | undefined): string {
  if (!instant) return "—";
  const d = typeof instant === "string" ? new Date(instant) : instant;
  return new Intl.DateTimeFormat(LOCALE, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "shortOffset",
  }).format(d);
}

/** Today's date (YYYY-MM-DD) in a zone. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function percent(rate: number | null): string {
  if (rate === null || Number.isNaN(rate)) return "—";
  return new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 1 }).format(rate);
}

export function count(n: number): string {
  return new Intl.NumberFormat(LOCALE).format(n);
}

export const RESOURCE_NAMES: Record<string, string> = {
  PASSENGER: "Passengers (total on board)",
  DECK: "Deck passage",
  SEAT: "Reclining seat",
  CABIN_INSIDE: "Inside cabin",
  CABIN_OUTSIDE: "Outside cabin",
  VEHICLE: "Vehicle space (units)",
  KENNEL: "Pet kennels",
};

export const ACCOMMODATION_NAMES: Record<string, string> = {
  DECK: "Deck passage",
  SEAT: "Reclining seat",
  CABIN_INSIDE: "Inside cabin",
  CABIN_OUTSIDE: "Outside cabin",
};

export const PASSENGER_TYPE_NAMES: Record<string, string> = {
  adult: "Adult",
  child: "Child (4–11)",
  infant: "Infant (0–3)",
};

export const VEHICLE_NAMES: Record<string, string> = {
  motorcycle: "Motorcycle",
  car: "Car",
  high_car: "High car / van",
  camper: "Camper",
};
