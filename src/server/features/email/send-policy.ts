/**
 * When an email attempt is retried, and when we stop. Kept apart from the sender so the rules are
 * readable in one place and unit-testable without a server.
 */

/** Resend remembers an Idempotency-Key for 24 hours; a retry after that could send a second email. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600_000;
/** Stop an hour early: leaves room for clock skew and for the last request's own duration. */
export const GIVE_UP_AFTER_MS = IDEMPOTENCY_WINDOW_MS - 3600_000;
/**
 * graphile-worker waits exp(min(attempt, 10)) s after a failure: 12 attempts span about 16 h, so a long
 * Resend outage is ridden out, and the age check above still caps the total at 23 h.
 */
export const MAX_SEND_ATTEMPTS = 12;
/** A 429 without a usable retry-after (or an absurd one) still waits, but not for ever. */
const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 3600_000;

export type ResendFailure =
  /** 429: wait at least retry-after, then send again with the same key. */
  | { kind: "rate_limited"; retryAfterMs: number; message: string }
  /** 5xx, network error, timeout, a concurrent request with the same key: retry with backoff. */
  | { kind: "transient"; message: string }
  /** 4xx validation or auth: the same request will fail again; FAILED at once, message kept. */
  | { kind: "permanent"; message: string }
  /**
   * 409 `invalid_idempotent_request`: Resend only remembers successful requests, so an earlier attempt
   * under this key was accepted (the email went out) and our body has changed since. Counts as sent.
   */
  | { kind: "already_accepted"; message: string };

export interface ResendErrorLike {
  name?: string;
  message?: string;
  statusCode?: number | null;
}

/** Seconds (`retry-after: 2`) or an HTTP date, as RFC 9110 allows; falls back to `ratelimit-reset`. */
export function retryAfterMs(headers: Record<string, string> | null | undefined, now = Date.now()): number {
  const raw = headers?.["retry-after"] ?? headers?.["ratelimit-reset"];
  if (raw) {
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
    const at = Date.parse(raw);
    if (!Number.isNaN(at)) return Math.min(Math.max(at - now, 0), MAX_RETRY_AFTER_MS);
  }
  return DEFAULT_RETRY_AFTER_MS;
}

/** The SDK never throws: it returns `{ data, error, headers }`, with `statusCode: null` for network errors. */
export function classifyResendError(
  error: ResendErrorLike,
  headers: Record<string, string> | null | undefined,
): ResendFailure {
  const status = error.statusCode ?? null;
  const name = error.name ?? "error";
  const message = `${status ?? "network"} ${name}: ${error.message ?? "no message"}`.slice(0, 1000);
  if (status === null) return { kind: "transient", message };
  if (status === 429) {
    // The monthly quota does not come back by waiting minutes; keep trying would only burn the window.
    if (name === "monthly_quota_exceeded") return { kind: "permanent", message };
    return { kind: "rate_limited", retryAfterMs: retryAfterMs(headers), message };
  }
  if (status === 409) {
    if (name === "invalid_idempotent_request") return { kind: "already_accepted", message };
    return { kind: "transient", message };
  }
  if (status >= 500 || status === 408) return { kind: "transient", message };
  return { kind: "permanent", message };
}

/** graphile-worker's retry delay after the given (1-based) failed attempt. */
export function graphileBackoffMs(jobAttempt: number): number {
  return Math.exp(Math.min(Math.max(jobAttempt, 1), 10)) * 1000;
}

/**
 * Whether a failed attempt should be the last: too many failures in a row for this job, or the next try
 * would land outside Resend's idempotency window counted from when the email was queued (its first
 * request is later still, so this errs on the safe side).
 */
export function shouldGiveUp(opts: {
  /** graphile-worker's attempt number of the current job (1-based). */
  jobAttempt: number;
  createdAt: Date;
  now: Date;
  nextDelayMs: number;
  /**
   * 429s do not count towards the attempt limit: during a mass notice they are expected and short, and
   * they say nothing about whether this email can be delivered. Only the idempotency window bounds them.
   */
  rateLimited?: boolean;
}): boolean {
  if (!opts.rateLimited && opts.jobAttempt >= MAX_SEND_ATTEMPTS) return true;
  return opts.now.getTime() + opts.nextDelayMs - opts.createdAt.getTime() > GIVE_UP_AFTER_MS;
}
