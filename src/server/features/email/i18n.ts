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

export function portName(t: EmailTranslator, port: { code: string; name: string }): string {
  const key = `ports.${port.code}` as "ports.TUN";
  return t.has(key) ? t(key) : port.name;
}
