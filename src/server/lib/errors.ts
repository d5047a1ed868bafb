import {
  ERROR_STATUS,
  type ErrorCode,
  type ErrorStatus,
  isGenericCode,
  type TransportCode,
} from "@/shared/error-codes";

export type { ErrorCode } from "@/shared/error-codes";

/**
 * The one error type features throw, with a code from the one `ErrorCode` vocabulary
 * (`src/shared/error-codes.ts`), whose table gives the tRPC code and HTTP status; the worker decides
 * retry vs. give-up from them. Messages are written for the person who will read them (API clients,
 * logs): say what happened and what to do. Pages show their own translation of `reason` instead.
 */
export class AppError extends Error {
  override name = "AppError";
  /** Machine-readable detail for clients, e.g. `{ reason: 'SOLD_OUT', resource: 'CABIN_INSIDE' }`. */
  readonly details?: Record<string, unknown>;

  constructor(
    readonly reason: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    // Clients written before `error.data.reason` existed read a reason from `details.reason`: keep it there.
    this.details = isGenericCode(reason) ? details : { reason, ...details };
  }

  get status(): ErrorStatus {
    return ERROR_STATUS[this.reason];
  }

  /** The tRPC code ("CONFLICT", "NOT_FOUND"…). */
  get code(): TransportCode {
    return this.status.trpc;
  }

  get httpStatus(): number {
    return this.status.http;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown: the server is restarting
  "57P02",
  "57P03", // cannot_connect_now: the server is starting up
  "08000",
  "08001",
  "08003",
  "08006",
]);

/** True when the error means "the database is not reachable right now", as opposed to a bad query. */
export function isDatabaseUnavailable(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** The Postgres SQLSTATE of an error, looking through drizzle's wrapping. */
export function pgErrorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
