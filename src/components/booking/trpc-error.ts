import { TRPCClientError } from "@trpc/client";

/** What the server's error formatter sends (server/api/trpc.ts), read defensively. */
export interface ParsedError {
  code: string | null;
  message: string;
  reason: string | null;
  field: string | null;
  resource: string | null;
  fieldErrors: Record<string, string>;
}

export function parseError(e: unknown): ParsedError {
  if (e instanceof TRPCClientError) {
    const data = (e.data ?? {}) as {
      code?: string;
      fieldErrors?: Record<string, string>;
      details?: { reason?: string; field?: string; resource?: string };
    };
    return {
      // No data at all: the request never reached us (offline, server down).
      code: data.code ?? (e.data ? null : "NETWORK"),
      message: e.message,
      reason: data.details?.reason ?? null,
      field: data.details?.field ?? null,
      resource: data.details?.resource ?? null,
      fieldErrors: data.fieldErrors ?? {},
    };
  }
  return {
    code: null,
    message: e instanceof Error ? e.message : String(e),
    reason: null,
    field: null,
    resource: null,
    fieldErrors: {},
  };
}

type T = ((key: string) => string) & { has: (key: string) => boolean };

/**
 * A sentence in the traveller's language for errors we know by reason or code (messages `book.serverErrors`);
 * otherwise the server's own sentence, which is specific but English-only.
 */
export function errorText(p: ParsedError, t: T, context: "lookup" | "booking" = "booking"): string {
  if (p.reason === "SOLD_OUT" && p.resource && t.has(`SOLD_OUT_${p.resource}`))
    return t(`SOLD_OUT_${p.resource}`);
  if (p.reason && t.has(p.reason)) return t(p.reason);
  if (p.code === "NOT_FOUND" && context === "lookup") return t("LOOKUP_NOT_FOUND");
  if (p.code && t.has(p.code)) return t(p.code);
  return p.message;
}
