import { TRPCClientError } from "@trpc/client";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

/**
 * A failed call as the pages see it, read once from what the server's error formatter sends
 * (`src/server/api/trpc.ts`, and `src/server/api/trpc-http.ts` for requests refused before any procedure).
 * Traveller and admin pages both read errors through `readAppError`.
 */
export interface AppErrorView {
  /** The tRPC code ("BAD_REQUEST", "NOT_FOUND"…); "NETWORK" when the server never answered; null otherwise. */
  code: string | null;
  httpStatus: number | null;
  /** The machine-readable reason ("SOLD_OUT", "HOLD_EXPIRED"…), when the server gave one. */
  reason: string | null;
  /** The server's sentence (English), written for a person to act on. */
  message: string;
  /** Field path ("passengers.0.firstName") → message, for forms to show next to their inputs. */
  fieldErrors: Record<string, string>;
  /** The input field the error is about, when it is about one field as a whole ("return", "passengers.1"). */
  field: string | null;
  /** Rate limits and throttles: when to come back. */
  retryAfterSeconds: number | null;
  /** Everything else the server attached (`resource`, `limit`, `refused`, `horizon`…). */
  details: Record<string, unknown>;
}

interface ErrorData {
  code?: string;
  httpStatus?: number;
  reason?: string;
  fieldErrors?: Record<string, string>;
  details?: Record<string, unknown>;
}

export const NETWORK_MESSAGE = "The server could not be reached. Check the connection and try again.";

export function readAppError(e: unknown): AppErrorView {
  if (!(e instanceof TRPCClientError)) {
    return {
      code: null,
      httpStatus: null,
      reason: null,
      message: e instanceof Error ? e.message : String(e),
      fieldErrors: {},
      field: null,
      retryAfterSeconds: null,
      details: {},
    };
  }
  // No data at all: the request never reached us (offline, server down).
  const reached = Boolean(e.data);
  const data = (e.data ?? {}) as ErrorData;
  const details = data.details ?? {};
  const reason =
    data.reason ??
    // Until every refusal carries its reason on `data` itself, procedures send it inside `details`.
    (typeof details.reason === "string" ? details.reason : null);
  return {
    code: data.code ?? (reached ? null : "NETWORK"),
    httpStatus: data.httpStatus ?? null,
    reason,
    message: reached ? e.message : NETWORK_MESSAGE,
    fieldErrors: data.fieldErrors ?? {},
    field: typeof details.field === "string" ? details.field : null,
    retryAfterSeconds: typeof details.retryAfterSeconds === "number" ? details.retryAfterSeconds : null,
    details,
  };
}

/** The sentence to show for a failed admin call (admin pages are English). */
export function errorMessage(e: unknown): string {
  return readAppError(e).message;
}

/**
 * Puts the server's field errors next to the matching inputs; returns true when at least one matched, so
 * the caller shows the general message only when nothing could be placed.
 */
export function applyFieldErrors<T extends FieldValues>(
  e: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): boolean {
  let placed = false;
  for (const [path, message] of Object.entries(readAppError(e).fieldErrors)) {
    const f = fields.find((name) => name === path);
    if (f) {
      setError(f, { type: "server", message });
      placed = true;
    }
  }
  return placed;
}
