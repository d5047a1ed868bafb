import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { AppError } from "@/server/lib/errors";

export interface RateLimit {
  /** What is limited, e.g. `booking.lookup`. */
  name: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Counts one hit for `subject` (an IP, an email …) and throws TOO_MANY_REQUESTS past the limit. The
 * subject is hashed so no address or IP is stored in clear.
 */
export async function consumeRateLimit(
  db: DbOrTx,
  rule: RateLimit,
  subject: string,
  now = new Date(),
): Promise<void> {
  const count = await hitCount(db, rule, subject, now);
  if (count > rule.limit) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many attempts. Please wait a minute and try again.", {
      retryAfterSeconds: rule.windowSeconds,
    });
  }
}

export async function hitCount(
  db: DbOrTx,
  rule: RateLimit,
  subject: string,
  now = new Date(),
): Promise<number> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const key = `${rule.name}:${createHash("sha256").update(subject).digest("hex").slice(0, 32)}`;
  const rows = await db.execute<{ count: number }>(sql`
    insert into rate_limits (key, window_start, count) values (${key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start) do update set count = rate_limits.count + 1
    returning count`);
  return Number(rows[0]?.count ?? 0);
}

/** Old windows are useless; the sweep cron calls this so the table stays small. */
export async function pruneRateLimits(db: DbOrTx, olderThanSeconds = 3600): Promise<void> {
  await db.execute(
    sql`delete from rate_limits where window_start < now() - make_interval(secs => ${olderThanSeconds})`,
  );
}
