import { createTranslator } from "use-intl/core";
import type { Locale } from "@/server/db/schema/bookings";
import ar from "../../../../messages/ar/errors.json";
import en from "../../../../messages/en/errors.json";
import fr from "../../../../messages/fr/errors.json";

/**
 * Which limit refused a request. The client shows `errors.RATE_LIMITED_<limit>` in the page's
 * language; the server's own message is the same text in the request's language, for API clients.
 */
export type LimitKind = "ATTEMPTS" | "BOOKINGS" | "UNPAID" | "PLACES";

type Errors = typeof en;
const catalogs: Record<Locale, { errors: Errors }> = {
  en: { errors: en },
  fr: { errors: fr },
  ar: { errors: ar },
};

const translators = new Map<Locale, ReturnType<typeof build>>();
function build(locale: Locale) {
  return createTranslator({ locale, messages: catalogs[locale], namespace: "errors" });
}

/** Whole minutes, rounded up, so "try again in 1 minute" is never too early. */
export function minutesUntil(retryAfterSeconds: number): number {
  return Math.max(1, Math.ceil(retryAfterSeconds / 60));
}

export function limitMessage(
  locale: Locale,
  kind: LimitKind,
  values: { retryAfterSeconds: number; max: number },
): string {
  let t = translators.get(locale);
  if (!t) {
    t = build(locale);
    translators.set(locale, t);
  }
  return t(`RATE_LIMITED_${kind}`, { minutes: minutesUntil(values.retryAfterSeconds), max: values.max });
}
