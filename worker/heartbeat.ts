import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { workerHeartbeats } from "@/server/db/schema/ops";
import { log } from "@/server/lib/log";

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Three missed beats: the process is gone (or cut off from the database, which amounts to the same). */
export const DEAD_AFTER_SECONDS = 15;
const RECOVERY_INTERVAL_MS = 10_000;

/**
 * Upserts this worker's row every few seconds, with the ids graphile-worker locks jobs under, so that
 * /api/health can tell a live worker from a dead one and other workers can free a dead one's jobs.
 */
export function startHeartbeat(db: Db, workerId: string, lockIds: () => string[]): () => Promise<void> {
  let stopped = false;
  const beat = async () => {
    try {
      const ids = lockIds();
      await db
        .insert(workerHeartbeats)
        .values({ workerId, lockIds: ids })
        .onConflictDoUpdate({
          target: workerHeartbeats.workerId,
          set: { lastSeenAt: sql`now()`, lockIds: ids },
        });
    } catch (e) {
      // The database may be restarting; the next beat will try again.
      log.warn("heartbeat failed", { error: e });
    }
  };
  const recover = async () => {
    try {
      const freed = await unlockDeadWorkers(db);
      if (freed > 0) log.warn("freed jobs locked by a dead worker", { lockers: freed });
    } catch (e) {
      log.warn("dead-worker recovery failed", { error: e });
    }
  };
  void beat().then(recover);
  const timer = setInterval(() => void beat(), HEARTBEAT_INTERVAL_MS);
  const recoveryTimer = setInterval(() => void recover(), RECOVERY_INTERVAL_MS);
  return async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    clearInterval(recoveryTimer);
    // Forget this worker on a clean stop, so health reports the remaining ones.
    await db
      .delete(workerHeartbeats)
      .where(sql`${workerHeartbeats.workerId} = ${workerId}`)
      .catch(() => {});
  };
}

/**
 * graphile-worker only frees the jobs of a worker that died without unlocking them after 4 hours. A
 * SIGKILLed worker (OOM, host loss) would so leave paid bookings unconfirmed until their holds expire.
 * Any live worker therefore frees jobs (and queues) locked under ids that no fresh heartbeat claims:
 * lockers whose process stopped beating, and, after a minute, lockers no heartbeat ever named. Jobs are
 * idempotent, so freeing one whose worker is merely slow costs a duplicate run, never a duplicate effect.
 */
export async function unlockDeadWorkers(db: Db): Promise<number> {
  // One statement, so the set of dead lockers cannot change between finding and freeing them.
  const rows = await db.execute<{ n: number }>(sql`
    with lockers as (
      select locked_by, min(locked_at) as since from graphile_worker._private_jobs
        where locked_by is not null group by locked_by
      union
      select locked_by, min(locked_at) from graphile_worker._private_job_queues
        where locked_by is not null group by locked_by
    ), dead as (
      select distinct l.locked_by from lockers l
      where not exists (
        select 1 from worker_heartbeats h
        where l.locked_by = any(h.lock_ids)
          and h.last_seen_at > now() - make_interval(secs => ${DEAD_AFTER_SECONDS})
      )
      and (
        exists (select 1 from worker_heartbeats h where l.locked_by = any(h.lock_ids))
        or l.since < now() - interval '60 seconds'
      )
    )
    select graphile_worker.force_unlock_workers(array_agg(locked_by)) as unlocked, count(*)::int as n
    from dead having count(*) > 0`);
  const n = rows[0]?.n ?? 0;
  if (n === 0) return 0;
  // Their heartbeat rows are history now.
  await db.execute(
    sql`delete from worker_heartbeats where last_seen_at < now() - make_interval(secs => ${DEAD_AFTER_SECONDS})`,
  );
  return n;
}
