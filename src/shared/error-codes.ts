/**
 * The one vocabulary of refusals. Features throw `AppError(code, message, details)` with a code from
 * here (`src/server/lib/errors.ts`); the tRPC error formatter sends it as `error.data.reason`; pages read
 * it with `readAppError` (`src/trpc/errors.ts`) and show `errors.<code>` from `messages/<locale>/errors.json`.
 * Client-safe: no imports.
 *
 * To add a reason: add a row to ERROR_STATUS (the status it answers with) and a message under its name in
 * every `messages/<locale>/errors.json`; tests/unit/error-codes.test.ts checks both.
 */

/** tRPC's error codes that Traverse answers with, and the HTTP status tRPC sends for each. */
const STATUS = {
  BAD_REQUEST: { trpc: "BAD_REQUEST", http: 400 },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", http: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  METHOD_NOT_SUPPORTED: { trpc: "METHOD_NOT_SUPPORTED", http: 405 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  PRECONDITION_FAILED: { trpc: "PRECONDITION_FAILED", http: 412 },
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", http: 413 },
  TOO_MANY_REQUESTS: { trpc: "TOO_MANY_REQUESTS", http: 429 },
  INTERNAL_SERVER_ERROR: { trpc: "INTERNAL_SERVER_ERROR", http: 500 },
  SERVICE_UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", http: 503 },
} as const;

export type ErrorStatus = (typeof STATUS)[keyof typeof STATUS];
export type TransportCode = ErrorStatus["trpc"];

/** Every reason and the status it answers with: the only such table. */
export const ERROR_STATUS = {
  // Generic refusals, for errors that need no reason of their own: the server's sentence says what is wrong.
  BAD_REQUEST: STATUS.BAD_REQUEST,
  UNAUTHORIZED: STATUS.UNAUTHORIZED,
  FORBIDDEN: STATUS.FORBIDDEN,
  NOT_FOUND: STATUS.NOT_FOUND,
  METHOD_NOT_SUPPORTED: STATUS.METHOD_NOT_SUPPORTED,
  CONFLICT: STATUS.CONFLICT,
  PRECONDITION_FAILED: STATUS.PRECONDITION_FAILED,
  TOO_MANY_REQUESTS: STATUS.TOO_MANY_REQUESTS,
  INTERNAL: STATUS.INTERNAL_SERVER_ERROR,
  SERVICE_UNAVAILABLE: STATUS.SERVICE_UNAVAILABLE,

  // The request itself.
  BATCH_TOO_LARGE: STATUS.BAD_REQUEST,
  BODY_TOO_LARGE: STATUS.PAYLOAD_TOO_LARGE,
  CROSS_SITE_REQUEST: STATUS.FORBIDDEN,
  POST_REQUIRED: STATUS.METHOD_NOT_SUPPORTED,
  RATE_LIMITED: STATUS.TOO_MANY_REQUESTS,

  // Staff sign-in.
  SIGN_IN_REQUIRED: STATUS.UNAUTHORIZED,
  ROLE_REQUIRED: STATUS.FORBIDDEN,
  LOGIN_THROTTLED: STATUS.TOO_MANY_REQUESTS,

  // Searching.
  UNKNOWN_PORT: STATUS.BAD_REQUEST,
  NO_CROSSING: STATUS.BAD_REQUEST,
  DATE_PASSED: STATUS.BAD_REQUEST,
  NOT_PUBLISHED: STATUS.BAD_REQUEST,

  // Booking and paying.
  SAILING_NOT_FOUND: STATUS.NOT_FOUND,
  SAILING_CANCELLED: STATUS.CONFLICT,
  SALES_CLOSED: STATUS.CONFLICT,
  SOLD_OUT: STATUS.CONFLICT,
  VEHICLE_CLASS: STATUS.BAD_REQUEST,
  HOLD_EXPIRED: STATUS.PRECONDITION_FAILED,
  ALREADY_PAID: STATUS.CONFLICT,
  ALREADY_CONFIRMED: STATUS.CONFLICT,
  STRIPE_UNAVAILABLE: STATUS.SERVICE_UNAVAILABLE,
  NOT_CANCELLABLE: STATUS.CONFLICT,
  DEPARTED: STATUS.CONFLICT,

  // Schedules.
  SAILING_EXISTS: STATUS.CONFLICT,
  BELOW_TAKEN: STATUS.CONFLICT,
} as const satisfies Record<string, ErrorStatus>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/**
 * The generic codes: each names its status and says no more. A refusal with one of these carries the
 * server's sentence as its only explanation; every other code is a reason a page can act on.
 */
const GENERIC: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_SUPPORTED",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "TOO_MANY_REQUESTS",
  "INTERNAL",
  "SERVICE_UNAVAILABLE",
]);

export function isGenericCode(code: ErrorCode): boolean {
  return GENERIC.has(code);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}

/** The generic code for an HTTP status, for errors raised by tRPC itself rather than by a feature. */
export function genericCodeForStatus(http: number): ErrorCode {
  for (const code of GENERIC) if (ERROR_STATUS[code].http === http) return code;
  return http >= 500 ? "INTERNAL" : "BAD_REQUEST";
}
