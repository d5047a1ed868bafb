import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** Each worker process upserts its row every few seconds; /api/health reports the freshest. */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  /** graphile-worker's pool and worker ids, as they appear in `locked_by`: lets others free a dead one's jobs. */
  lockIds: text("lock_ids").array().notNull().default(sql`'{}'::text[]`),
});

/**
 * Per-window counters for rate limits (booking lookups and creates, logins; see
 * `features/security/rate-limit.ts`). In Postgres rather than Redis because a limit that vanishes when
 * the cache is down is no limit; one upsert per request is cheap.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    /** End of the window: the row is useless afterwards and the sweep deletes it. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.windowStart] }),
    index("rate_limits_expires").on(t.expiresAt),
    check("rate_limits_window_order", sql`${t.expiresAt} > ${t.windowStart}`),
  ],
);
