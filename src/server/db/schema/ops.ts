import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Each worker process upserts its row every few seconds; /api/health reports the freshest. */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
});
