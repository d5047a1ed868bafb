import type { AppErrorView } from "@/trpc/errors";

type T = ((key: string, values?: Record<string, string | number>) => string) & {
  has: (key: string) => boolean;
};

/**
 * A sentence in the traveller's language for errors we know by reason or code (messages `book.serverErrors`);
 * otherwise the server's own sentence, which is specific but English-only.
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
  if (p.reason && t.has(p.reason)) return t(p.reason);
  if (p.code === "NOT_FOUND" && context === "lookup") return t("LOOKUP_NOT_FOUND");
  if (p.code && t.has(p.code)) return t(p.code);
  return p.message;
}
