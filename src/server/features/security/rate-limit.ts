import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import type { Locale } from "@/server/db/schema/bookings";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { type LimitKind, limitMessage } from "./limit-messages";
import { hashSubject } from "./subject-hash";

export interface RateLimit {
  /** What is limited, e.g. `booking.lookup`. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** Which sentence the refusal shows; generic "too many attempts" unless said otherwise. */
  kind?: LimitKind;
}

/** The typed refusal every limit throws: 429, `details.reason` RATE_LIMITED, and when to come back. */
export function rateLimited(
  kind: LimitKind,
  a: { retryAfterSeconds: number; max: number; locale?: Locale; limit?: string },
): AppError {
  // Whole seconds, rounded up; the epsilon keeps float noise (80.00000000000001) from adding one.
  const retryAfterSeconds = Math.max(1, Math.ceil(a.retryAfterSeconds - 1e-6));
  return new AppError(
    "RATE_LIMITED",
    limitMessage(a.locale ?? "en", kind, { retryAfterSeconds, max: a.max }),
    { limit: kind, max: a.max, retryAfterSeconds },
  );
}

/**
 * Counts one hit for `subject` (an IP, an email …) and throws TOO_MANY_REQUESTS past the limit, in the
 * traveller's language when the caller knows it. Refused hits count too, so hammering does not help.
 * `now` is the caller's clock (`svc.clock`), so tests move time instead of sleeping.
 *
 * Sliding window, estimated from two fixed windows: hits in this window plus the previous window's,
 * weighted by how much of it still lies within the last `windowSeconds`. A burst is therefore refused
 * the same way whether or not it straddles a window boundary ("at most N per window", not "per
 * clock-aligned window", which would allow 2N across a boundary).
 */
export async function consumeRateLimit(
  db: DbOrTx,
  rule: RateLimit,
  subject: string,
  now: Date,
  locale?: Locale,
): Promise<void> {
  const { current, previous } = await hit(db, rule, subject, now);
  const windowMs = rule.windowSeconds * 1000;
  const elapsed = (now.getTime() - windowStartOf(rule, now).getTime()) / windowMs;
  if (current + previous * (1 - elapsed) > rule.limit) {
    throw rateLimited(rule.kind ?? "ATTEMPTS", {
      retryAfterSeconds: retryAfter(rule, current, previous, elapsed),
      max: rule.limit,
      locale,
    });
  }
}

/** Seconds until one more hit would be within the limit again. */
function retryAfter(rule: RateLimit, current: number, previous: number, elapsed: number): number {
  const w = rule.windowSeconds;
  if (current + 1 <= rule.limit && previous > 0) {
    // Room in this window: wait for the previous window's weight to fall far enough.
    return (1 - (rule.limit - current - 1) / previous - elapsed) * w;
  }
  // This window alone is full: it becomes the previous one, whose weight must then fall in turn.
  return (1 - elapsed + Math.max(0, 1 - (rule.limit - 1) / current)) * w;
}

function windowStartOf(rule: RateLimit, now: Date): Date {
  const windowMs = rule.windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/**
 * One atomic upsert per hit on this window's row, reading the previous window's in the same statement.
 * Each row says when it stops mattering (`expires_at`: the end of the window after its own), so pruning
 * needs no knowledge of the rules. The subject is hashed: no address or IP is stored in clear.
 */
async function hit(
  db: DbOrTx,
  rule: RateLimit,
  subject: string,
  now: Date,
): Promise<{ current: number; previous: number }> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = windowStartOf(rule, now);
  const previousStart = new Date(windowStart.getTime() - windowMs);
  const expiresAt = new Date(windowStart.getTime() + 2 * windowMs);
  const key = `${rule.name}:${hashSubject(subject)}`;
  const rows = await db.execute<{ current: number; previous: number }>(sql`
    with hit as (
      insert into rate_limits (key, window_start, expires_at, count)
      values (${key}, ${windowStart.toISOString()}, ${expiresAt.toISOString()}, 1)
      on conflict (key, window_start) do update set count = rate_limits.count + 1
      returning count
    )
    select (select count from hit) as current,
      coalesce((select count from rate_limits
        where key = ${key} and window_start = ${previousStart.toISOString()}), 0) as previous`);
  return { current: Number(rows[0]?.current ?? 0), previous: Number(rows[0]?.previous ?? 0) };
}

/** Ended windows are useless; the minute sweep (`expire_holds_sweep`) calls this so the table stays small. */
export async function pruneRateLimits(svc: Services): Promise<number> {
  const rows = await svc.db.execute<{ n: number }>(sql`
    with gone as (delete from rate_limits where expires_at <= ${svc.clock.now().toISOString()} returning 1)
    select count(*)::int as n from gone`);
  return Number(rows[0]?.n ?? 0);
}
