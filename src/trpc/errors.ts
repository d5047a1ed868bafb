import { TRPCClientError } from "@trpc/client";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { type ErrorCode, isErrorCode, isGenericCode } from "@/shared/error-codes";

/**
 * A failed call as the pages see it, read once from what the server's error formatter sends
 * (`src/server/api/trpc.ts`), whether a procedure refused or `src/server/api/trpc-http.ts` did before any
 * ran. Traveller and admin pages both read errors through `readAppError`, and only through it; server
 * components read the same view from the TRPCError their caller throws.
 */
export interface AppErrorView {
  /** The tRPC code ("BAD_REQUEST", "NOT_FOUND"…); "NETWORK" when the server never answered; null otherwise. */
  code: string | null;
  httpStatus: number | null;
  /**
   * Why ("SOLD_OUT", "HOLD_EXPIRED"…, from `src/shared/error-codes.ts`); null for the generic codes, which
   * say no more than `code`. Pages show `errors.<reason>` from their messages, never parse `message`.
   */
  reason: ErrorCode | null;
  /** The server's sentence (English unless the request named a language), for logs and generic codes. */
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
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
}

export const NETWORK_MESSAGE = "The server could not be reached. Check the connection and try again.";

export function readAppError(e: unknown): AppErrorView {
  if (e instanceof TRPCClientError) {
    // No data at all: the request never reached us (offline, server down).
    const reached = Boolean(e.data);
    return view(
      (e.data ?? {}) as ErrorData,
      reached ? e.message : NETWORK_MESSAGE,
      reached ? null : "NETWORK",
    );
  }
  const server = serverSideError(e);
  if (server) return view(server.data, server.message, null);
  return view({}, e instanceof Error ? e.message : String(e), null, true);
}

function view(data: ErrorData, message: string, fallbackCode: string | null, foreign = false): AppErrorView {
  const details = data.details ?? {};
  const reason = isErrorCode(data.reason) && !isGenericCode(data.reason) ? data.reason : null;
  const retry = data.retryAfterSeconds ?? details.retryAfterSeconds;
  return {
    code: foreign ? null : (data.code ?? fallbackCode),
    httpStatus: data.httpStatus ?? null,
    reason,
    message,
    fieldErrors: data.fieldErrors ?? {},
    field: typeof details.field === "string" ? details.field : null,
    retryAfterSeconds: typeof retry === "number" ? retry : null,
    details,
  };
}

/**
 * A server component's tRPC caller throws the TRPCError itself, with the feature's AppError as its cause:
 * read it by shape, because this module is shared with the browser and must not import the server.
 */
function serverSideError(e: unknown): { data: ErrorData; message: string } | null {
  if (!(e instanceof Error) || e.name !== "TRPCError") return null;
  const code = (e as { code?: unknown }).code;
  const cause = (e as { cause?: unknown }).cause as
    | { name?: unknown; reason?: unknown; details?: Record<string, unknown>; httpStatus?: unknown }
    | undefined;
  const app = cause?.name === "AppError" ? cause : undefined;
  return {
    data: {
      code: typeof code === "string" ? code : undefined,
      httpStatus: typeof app?.httpStatus === "number" ? app.httpStatus : undefined,
      reason: typeof app?.reason === "string" ? app.reason : undefined,
      details: app?.details,
    },
    message: e.message,
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
