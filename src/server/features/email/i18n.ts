import { createTranslator } from "use-intl/core";
import type { Locale } from "@/server/db/schema/bookings";
import {
  intlLocale,
  formatPortDate as sharedPortDate,
  formatPortDateTime as sharedPortDateTime,
  formatZoneName as sharedZoneName,
} from "@/shared/format";
import { formatMoney } from "@/shared/money";
import ar from "./messages/ar.json";
import en from "./messages/en.json";
import fr from "./messages/fr.json";

/**
 * Email copy lives in message files (one per locale) read through use-intl's `createTranslator`, the same
 * ICU engine next-intl uses for the pages, so translators work on one format. Typing the catalogs as
 * English's shape makes a key missing in French or Arabic a compile error.
 */
export type EmailMessages = typeof en;
const catalogs: Record<Locale, EmailMessages> = { en, fr, ar };

function build(locale: Locale) {
  return createTranslator({ locale, messages: catalogs[locale] });
}
export type EmailTranslator = ReturnType<typeof build>;

// One translator per locale for the life of the process: it caches parsed ICU messages, and parsing them
// again for every email was most of the cost of rendering a 100-email batch.
const translators = new Map<Locale, EmailTranslator>();

export function emailTranslator(locale: Locale): EmailTranslator {
  let t = translators.get(locale);
  if (!t) {
    t = build(locale);
    translators.set(locale, t);
  }
  return t;
}

export function isRtlLocale(locale: Locale): boolean {
  return locale === "ar";
}

// The shared formatters (`src/shared/format.ts`, `src/shared/money.ts`) in the email's own locale
// conventions, so an email, the ticket page and the site print a price or a departure the same way.

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

export function portName(t: EmailTranslator, port: { code: string; name: string }): string {
  const key = `ports.${port.code}` as "ports.TUN";
  return t.has(key) ? t(key) : port.name;
}
