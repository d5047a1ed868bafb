import type { Locale } from "@/server/db/schema/bookings";

/**
 * Locale-aware formatting of amounts and port-local times for what Traverse renders on the server: the
 * emails (features/email) and the printable ticket page (features/tickets). Every instant is shown in the
 * port's own zone, whatever the server's.
 */

/**
 * The Intl locale for numbers and dates. Arabic uses Tunisia's conventions: Western digits in times,
 * prices and references, which is what travellers on these routes read on their tickets and at the port.
 */
export function intlLocale(locale: Locale): string {
  return locale === "en" ? "en-GB" : locale === "fr" ? "fr-FR" : "ar-TN";
}

// Intl formatters are costly to build and immutable: one per (locale, options, zone) for the process.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, build: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = build();
    formatters.set(key, f);
  }
  return f;
}

export function formatAmount(locale: Locale, amount: number, currency: string): string {
  return cached(
    `n|${locale}|${currency}`,
    () => new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency }),
  ).format(amount / 100);
}

/** A wall-clock time at a port, in that port's zone whatever the server's. */
export function formatPortDateTime(locale: Locale, instant: Date, timeZone: string): string {
  return cached(
    `dt|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(intlLocale(locale), {
        timeZone,
        weekday: "short",
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }),
  ).format(instant);
}

export function formatPortDate(locale: Locale, instant: Date, timeZone: string): string {
  return cached(
    `d|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(intlLocale(locale), {
        timeZone,
        weekday: "long",
        day: "numeric",
        month: "long",
      }),
  ).format(instant);
}

/** The zone's name for a reader: "Central European Standard Time", "heure normale d’Europe centrale"… */
export function formatZoneName(locale: Locale, instant: Date, timeZone: string): string {
  const parts = cached(
    `z|${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(intlLocale(locale), { timeZone, timeZoneName: "long" }),
  ).formatToParts(instant);
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}
