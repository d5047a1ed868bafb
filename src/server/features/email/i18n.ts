import { createTranslator } from "use-intl/core";
import type { Locale } from "@/server/db/schema/bookings";
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

/** A wall-clock time at a port, in that port's zone whatever the server's (DESIGN §3). */
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

export function portName(t: EmailTranslator, port: { code: string; name: string }): string {
  const key = `ports.${port.code}` as "ports.TUN";
  return t.has(key) ? t(key) : port.name;
}
