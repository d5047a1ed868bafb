import { TRPCClientError } from "@trpc/client";

/** What the server's error formatter sends (server/api/trpc.ts), read defensively. */
export interface ParsedError {
  code: string | null;
  message: string;
  reason: string | null;
  field: string | null;
  resource: string | null;
  fieldErrors: Record<string, string>;
  /** Rate limits: which one, its number, and when to come back. */
  limit: { kind: string; max: number; retryAfterSeconds: number } | null;
}

export function parseError(e: unknown): ParsedError {
  if (e instanceof TRPCClientError) {
    const data = (e.data ?? {}) as {
      code?: string;
      fieldErrors?: Record<string, string>;
      details?: {
        reason?: string;
        field?: string;
        resource?: string;
        limit?: string;
        max?: number;
        retryAfterSeconds?: number;
      };
    };
    const d = data.details;
    return {
      // No data at all: the request never reached us (offline, server down).
      code: data.code ?? (e.data ? null : "NETWORK"),
      message: e.message,
      reason: data.details?.reason ?? null,
      field: data.details?.field ?? null,
      resource: data.details?.resource ?? null,
      fieldErrors: data.fieldErrors ?? {},
      limit:
        d?.reason === "RATE_LIMITED" && typeof d.limit === "string"
          ? { kind: d.limit, max: Number(d.max ?? 0), retryAfterSeconds: Number(d.retryAfterSeconds ?? 60) }
          : null,
    };
  }
  return {
    code: null,
    message: e instanceof Error ? e.message : String(e),
    reason: null,
    field: null,
    resource: null,
    fieldErrors: {},
    limit: null,
  };
}

type T = ((key: string, values?: Record<string, string | number>) => string) & {
  has: (key: string) => boolean;
};

/**
 * A sentence in the traveller's language for errors we know by reason or code (messages `book.serverErrors`);
 * otherwise the server's own sentence, which is specific but English-only.
 */
export function errorText(p: ParsedError, t: T, context: "lookup" | "booking" = "booking"): string {
  if (p.reason === "SOLD_OUT" && p.resource && t.has(`SOLD_OUT_${p.resource}`))
    return t(`SOLD_OUT_${p.resource}`);
  if (p.limit && t.has(`RATE_LIMITED_${p.limit.kind}`)) {
    // Same sentence as the server's (`src/server/features/security/limit-messages.ts`), in the page's language.
    const minutes = Math.max(1, Math.ceil(p.limit.retryAfterSeconds / 60));
    return t(`RATE_LIMITED_${p.limit.kind}`, { minutes, max: p.limit.max });
  }
  if (p.reason && t.has(p.reason)) return t(p.reason);
  if (p.code === "NOT_FOUND" && context === "lookup") return t("LOOKUP_NOT_FOUND");
  if (p.code && t.has(p.code)) return t(p.code);
  return p.message;
}
