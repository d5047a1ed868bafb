import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import type { Locale } from "@/server/db/schema/bookings";
import { AppError } from "@/server/lib/errors";
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
  const retryAfterSeconds = Math.max(1, Math.ceil(a.retryAfterSeconds));
  return new AppError(
    "TOO_MANY_REQUESTS",
    limitMessage(a.locale ?? "en", kind, { retryAfterSeconds, max: a.max }),
    { reason: "RATE_LIMITED", limit: kind, max: a.max, retryAfterSeconds },
  );
}

/**
 * Counts one hit for `subject` (an IP, an email …) and throws TOO_MANY_REQUESTS past the limit, in the
 * traveller's language when the caller knows it. Refused hits count too, so hammering does not help.
 * `now` is the caller's clock so tests move time instead of sleeping.
 */
export async function consumeRateLimit(
  db: DbOrTx,
  rule: RateLimit,
  subject: string,
  now = new Date(),
  locale?: Locale,
): Promise<void> {
  const count = await hitCount(db, rule, subject, now);
  if (count > rule.limit) {
    const windowEnd = windowStartOf(rule, now).getTime() + rule.windowSeconds * 1000;
    throw rateLimited(rule.kind ?? "ATTEMPTS", {
      retryAfterSeconds: (windowEnd - now.getTime()) / 1000,
      max: rule.limit,
      locale,
    });
  }
}

function windowStartOf(rule: RateLimit, now: Date): Date {
  const windowMs = rule.windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/**
 * One atomic upsert per hit on a fixed window; the row says when it stops mattering (`expires_at`), so
 * pruning needs no knowledge of the rules. The subject is hashed: no address or IP is stored in clear.
 */
export async function hitCount(
  db: DbOrTx,
  rule: RateLimit,
  subject: string,
  now = new Date(),
): Promise<number> {
  const windowStart = windowStartOf(rule, now);
  const expiresAt = new Date(windowStart.getTime() + rule.windowSeconds * 1000);
  const key = `${rule.name}:${hashSubject(subject)}`;
  const rows = await db.execute<{ count: number }>(sql`
    insert into rate_limits (key, window_start, expires_at, count)
    values (${key}, ${windowStart.toISOString()}, ${expiresAt.toISOString()}, 1)
    on conflict (key, window_start) do update set count = rate_limits.count + 1
    returning count`);
  return Number(rows[0]?.count ?? 0);
}

/** Ended windows are useless; the minute sweep (`expire_holds_sweep`) calls this so the table stays small. */
export async function pruneRateLimits(db: DbOrTx, now = new Date()): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    with gone as (delete from rate_limits where expires_at <= ${now.toISOString()} returning 1)
    select count(*)::int as n from gone`);
  return Number(rows[0]?.n ?? 0);
}
