import type { Money } from "@/shared/money";
import type { CancelBand, ConnectorOperation, Quote } from "./connector";

/**
 * The one error a connector throws. `kind` says what the caller can do:
 *
 * - `timeout`: no answer within the operator's timeout. The call may still have taken effect (a hold,
 *   a cancel): recall before assuming either way.
 * - `unavailable`: the operator is down (5xx, refused or dropped connection). Same caution as timeout.
 * - `rate_limited`: try again after `retryAfterSeconds`.
 * - `refused`: the operator answered and said no; `code` says why (SOLD_OUT, PRICE_CHANGED with
 *   `newQuote`, BOOKING_EXPIRED, …). Asking again the same way gets the same answer. UNAUTHORIZED and
 *   VALIDATION_ERROR are refusals too, but they are Traverse's fault (a key or a request to fix), not a
 *   decision about the booking.
 * - `bad_response`: the answer did not match the contract; nothing in it is trusted.
 * - `circuit_open`: not sent, because the operator has been failing (see `CircuitBreaker`).
 *
 * Messages carry the operator code, the operation, the HTTP status and the operator's error code only:
 * never the operator's own message (it may quote what was sent) nor anything personal from the request.
 */
export const operatorErrorKinds = [
  "timeout",
  "unavailable",
  "rate_limited",
  "refused",
  "bad_response",
  "circuit_open",
] as const;
export type OperatorErrorKind = (typeof operatorErrorKinds)[number];

/** The operator's stable error codes for business refusals; another operator may add its own. */
export const knownRefusalCodes = [
  "UNAUTHORIZED",
  "VALIDATION_ERROR",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "PAYLOAD_TOO_LARGE",
  "ROUTE_NOT_FOUND",
  "SAILING_NOT_FOUND",
  "BOOKING_NOT_FOUND",
  "QUOTE_MISMATCH",
  "SOLD_OUT",
  "PRICE_CHANGED",
  "CHARGE_CHANGED",
  "IDEMPOTENCY_CONFLICT",
  "BOOKING_EXPIRED",
  "BOOKING_CANCELLED",
  "SAILING_CANCELLED",
  "SAILING_DEPARTED",
  "SALES_CLOSED",
  "VEHICLE_TOO_LARGE",
  "INVALID_CURSOR",
  "CURSOR_EXPIRED",
] as const;
export type KnownRefusalCode = (typeof knownRefusalCodes)[number];
/** Known codes are listed for callers' switches; an unknown one arrives as the operator wrote it. */
export type RefusalCode = KnownRefusalCode | (string & {});

export interface OperatorErrorInit {
  /** HTTP status, when the operator answered. */
  status?: number;
  code?: RefusalCode;
  retryAfterSeconds?: number;
  /** PRICE_CHANGED: the operator's fresh quote; hold again with it. */
  newQuote?: Quote;
  /** SOLD_OUT: what did not fit. */
  soldOut?: { resource: string; free: number; needed: number };
  /** CHARGE_CHANGED: the charge as it is now. */
  charge?: { band: CancelBand; percent: number; charge: Money; refund: Money };
  /** IDEMPOTENCY_CONFLICT: the booking already made under that agent reference. */
  operatorReference?: string;
  /** VALIDATION_ERROR: which fields the operator refused (paths only, never values). */
  fields?: string[];
}

export class OperatorError extends Error {
  override name = "OperatorError";
  readonly status?: number;
  readonly code?: RefusalCode;
  readonly retryAfterSeconds?: number;
  readonly newQuote?: Quote;
  readonly soldOut?: OperatorErrorInit["soldOut"];
  readonly charge?: OperatorErrorInit["charge"];
  readonly operatorReference?: string;
  readonly fields?: string[];

  constructor(
    readonly kind: OperatorErrorKind,
    readonly operatorCode: string,
    readonly operation: ConnectorOperation,
    message: string,
    init: OperatorErrorInit = {},
  ) {
    // No `cause`: a low-level error says less than this message, and `describeError` would prefer it.
    super(`${operatorCode} ${operation}: ${message}`);
    this.status = init.status;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.newQuote = init.newQuote;
    this.soldOut = init.soldOut;
    this.charge = init.charge;
    this.operatorReference = init.operatorReference;
    this.fields = init.fields;
  }

  /** Whether the same call may succeed later: everything but a refusal, which the operator decided. */
  get transient(): boolean {
    return this.kind !== "refused";
  }
}

export function isOperatorError(e: unknown): e is OperatorError {
  return e instanceof OperatorError;
}

/** True when the refusal is this `code` (a narrowing helper for callers' retry decisions). */
export function isRefusal(e: unknown, code?: RefusalCode): e is OperatorError {
  return e instanceof OperatorError && e.kind === "refused" && (code === undefined || e.code === code);
}
