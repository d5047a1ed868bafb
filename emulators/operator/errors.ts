// One error type for every refusal. The body is `{ error: { code, message, details? } }`; codes are
// part of the contract (types.ts, README.md), messages are for people and may change.
import type { OperatorErrorBody, OperatorErrorCode } from "./types";

export class OperatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: OperatorErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  body(): OperatorErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

const STATUS_CODES: Record<number, { code: OperatorErrorCode; message: string }> = {
  429: {
    code: "RATE_LIMITED",
    message: "Too many requests; retry after the number of seconds in retry-after.",
  },
  500: { code: "INTERNAL_ERROR", message: "The reservation system failed to process the request." },
  502: { code: "BAD_GATEWAY", message: "The reservation system's backend did not answer properly." },
  503: { code: "SERVICE_UNAVAILABLE", message: "The reservation system is temporarily unavailable." },
  504: { code: "GATEWAY_TIMEOUT", message: "The reservation system's backend timed out." },
};

/** The error an injected fault or an outage answers with. */
export function statusError(status: number, retryAfterSeconds?: number): OperatorError {
  const known = STATUS_CODES[status] ?? STATUS_CODES[500]!;
  const headers = retryAfterSeconds !== undefined ? { "retry-after": String(retryAfterSeconds) } : undefined;
  return new OperatorError(status, known.code, known.message, undefined, headers);
}

export const notFound = {
  route: (from: string, to: string) =>
    new OperatorError(404, "ROUTE_NOT_FOUND", `This operator does not sail from ${from} to ${to}.`, {
      from,
      to,
    }),
  sailing: (sailingId: string) =>
    new OperatorError(404, "SAILING_NOT_FOUND", `No sailing ${sailingId} in this operator's timetable.`, {
      sailingId,
    }),
  booking: () => new OperatorError(404, "BOOKING_NOT_FOUND", "No booking matches that reference."),
};
