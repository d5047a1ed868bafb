import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { workerHeartbeats } from "@/server/db/schema/ops";
import { log } from "@/server/lib/log";

export const HEARTBEAT_INTERVAL_MS = 5_000;

/** Upserts this worker's row every few seconds so /api/health can tell a live worker from a dead one. */
export function startHeartbeat(db: Db, workerId: string): () => Promise<void> {
  let stopped = false;
  const beat = async () => {
    try {
      await db
        .insert(workerHeartbeats)
        .values({ workerId })
        .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { lastSeenAt: sql`now()` } });
    } catch (e) {
      // The database may be restarting; the next beat will try again.
      log.warn("heartbeat failed", { error: (e as Error).message });
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), HEARTBEAT_INTERVAL_MS);
  return async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    // Forget this worker on a clean stop, so health reports the remaining ones.
    await db
      .delete(workerHeartbeats)
      .where(sql`${workerHeartbeats.workerId} = ${workerId}`)
      .catch(() => {});
  };
}
