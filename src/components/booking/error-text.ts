import type { AppErrorView } from "@/trpc/errors";

type T = ((key: string, values?: Record<string, string | number>) => string) & {
  has: (key: string) => boolean;
};

/** Generic codes whose server sentence says no more than the page can say in its own language. */
const SAID_BY_THE_PAGE: Record<string, string> = {
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL",
  NETWORK: "NETWORK",
};

/**
 * A sentence in the traveller's language (messages `errors`, `t` from `useTranslations("errors")`): by
 * reason, refined by what the details name (the resource sold out, the limit reached). A generic refusal
 * (a field the server checked, a booking not found) keeps the server's own sentence, which is specific but
 * English-only.
 */
export function errorText(p: AppErrorView, t: T, context: "lookup" | "booking" = "booking"): string {
  const resource = typeof p.details.resource === "string" ? p.details.resource : null;
  if (p.reason === "SOLD_OUT" && resource && t.has(`SOLD_OUT_${resource}`)) return t(`SOLD_OUT_${resource}`);
  const limit = p.reason === "RATE_LIMITED" && typeof p.details.limit === "string" ? p.details.limit : null;
  if (limit && t.has(`RATE_LIMITED_${limit}`)) {
    // Same sentence as the server's (`src/server/features/security/limit-messages.ts`), in the page's language.
    const minutes = Math.max(1, Math.ceil((p.retryAfterSeconds ?? 60) / 60));
    return t(`RATE_LIMITED_${limit}`, { minutes, max: Number(p.details.max ?? 0) });
  }
  if (p.reason && t.has(p.reason)) return t(p.reason, values(p.details));
  if (p.code === "NOT_FOUND" && context === "lookup") return t("LOOKUP_NOT_FOUND");
  const generic = p.code ? SAID_BY_THE_PAGE[p.code] : undefined;
  if (generic) return t(generic);
  return p.message;
}

/** The details a message may quote (`{status}`…): strings and numbers only. */
function values(details: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(details))
    if (typeof v === "string" || typeof v === "number") out[k] = v;
  return out;
}
