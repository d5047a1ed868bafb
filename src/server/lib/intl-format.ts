import type { Locale } from "@/server/db/schema/bookings";
import {
  intlLocale,
  formatPortDate as sharedPortDate,
  formatPortDateTime as sharedPortDateTime,
  formatZoneName as sharedZoneName,
} from "@/shared/format";
import { formatMoney } from "@/shared/money";

/**
 * Locale-aware formatting of amounts and port-local times for what Traverse renders on the server: the
 * emails (features/email) and the printable ticket page (features/tickets). They are the shared formatters
 * (`src/shared/format.ts`, `src/shared/money.ts`) in the reader's own locale conventions, so an email, the
 * ticket page and the site print a price or a departure the same way. Every instant is shown in the port's
 * own zone, whatever the server's.
 */
export { intlLocale };

export function formatAmount(locale: Locale, amount: number, currency: string): string {
  return formatMoney(intlLocale(locale), amount, currency);
}

/** A wall-clock time at a port, in that port's zone whatever the server's. */
export function formatPortDateTime(locale: Locale, instant: Date, timeZone: string): string {
  return sharedPortDateTime(intlLocale(locale), instant, timeZone);
}

export function formatPortDate(locale: Locale, instant: Date, timeZone: string): string {
  return sharedPortDate(intlLocale(locale), instant, timeZone);
}

/** The zone's name for a reader: "Central European Standard Time", "heure normale d’Europe centrale"… */
export function formatZoneName(locale: Locale, instant: Date, timeZone: string): string {
  return sharedZoneName(intlLocale(locale), instant, timeZone);
}
