import type { Accommodation, PassengerType, VehicleType } from "@/shared/constants";
import { formatIsoDate, formatPortDateTime, formatTime } from "@/shared/format";
import { currencyDigits, formatMoney } from "@/shared/money";

/**
 * Formatting for the admin (English only): the shared formatters (`src/shared/format.ts`,
 * `src/shared/money.ts`) in British English. Instants are always shown in a port's own time zone, never the
 * browser's: an admin in Paris editing a Tunis departure sees Tunis time, as travellers and tickets do.
 */

const LOCALE = "en-GB";

/** Minor units → "€89.00", using the currency's own exponent (EUR 2, TND 3, JPY 0). */
export function money(amount: number, currency: string): string {
  return formatMoney(LOCALE, amount, currency);
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
  return formatPortDateTime(LOCALE, d, timeZone, { offset: opts.zone !== false });
}

export function time(instant: Date | string, timeZone: string): string {
  return formatTime(LOCALE, typeof instant === "string" ? new Date(instant) : instant, timeZone);
}

/** An ISO calendar date as written ("Mon 3 Mar 2026"), with no zone shift. */
export function isoDate(iso: string, style: "long" | "short" = "short"): string {
  return formatIsoDate(LOCALE, iso, style === "long" ? "long" : "medium");
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

export const ACCOMMODATION_NAMES: Record<Accommodation, string> = {
  DECK: "Deck passage",
  SEAT: "Reclining seat",
  CABIN_INSIDE: "Inside cabin",
  CABIN_OUTSIDE: "Outside cabin",
};

export const PASSENGER_TYPE_NAMES: Record<PassengerType, string> = {
  adult: "Adult",
  child: "Child (4–11)",
  infant: "Infant (0–3)",
};

export const VEHICLE_NAMES: Record<VehicleType, string> = {
  motorcycle: "Motorcycle",
  car: "Car",
  high_car: "High car / van",
  camper: "Camper",
};

/** The English name of a code that may not be one we know (data written by an older version). */
export function nameOf(names: Record<string, string>, code: string | null): string {
  return (code !== null && names[code]) || String(code);
}

/** A price line's item, named from its kind and codes (admin pages are English). */
export function priceLineItem(l: {
  kind: string;
  passengerType: string | null;
  accommodation: string | null;
  vehicleType: string | null;
  description: string;
}): string {
  if (l.kind === "PASSENGER")
    return `${nameOf(PASSENGER_TYPE_NAMES, l.passengerType)} · ${nameOf(ACCOMMODATION_NAMES, l.accommodation)}`;
  if (l.kind === "VEHICLE") return `Vehicle · ${nameOf(VEHICLE_NAMES, l.vehicleType)}`;
  if (l.kind === "PET") return "Pet (kennel)";
  return l.description;
}
