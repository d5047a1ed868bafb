import { sql } from "drizzle-orm";
import { workerHeartbeats } from "@/server/db/schema/ops";
import type { Services } from "@/server/services";

/**
 * Worker processes' heartbeats, and freeing the jobs of the ones that died. worker/heartbeat.ts calls
 * these on a timer; /api/health reads the same rows (features/health).
 */

/** Three missed beats (worker/heartbeat.ts beats every 5 s): the process is gone, or cut off from the database. */
export const DEAD_AFTER_SECONDS = 15;

/** Upserts this worker's row with the ids graphile-worker locks jobs under. */
export async function recordHeartbeat(svc: Services, workerId: string, lockIds: string[]): Promise<void> {
  await svc.db
    .insert(workerHeartbeats)
    .values({ workerId, lockIds })
    .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { lastSeenAt: sql`now()`, lockIds } });
}

/** Forgets a worker that stopped cleanly, so health reports the remaining ones. */
export async function forgetWorker(svc: Services, workerId: string): Promise<void> {
  await svc.db.delete(workerHeartbeats).where(sql`${workerHeartbeats.workerId} = ${workerId}`);
}

/**
 * graphile-worker only frees the jobs of a worker that died without unlocking them after 4 hours. A
 * SIGKILLed worker (OOM, host loss) would so leave paid bookings unconfirmed until their holds expire.
 * Any live worker therefore frees jobs locked under ids that no fresh heartbeat claims — lockers whose
 * process stopped beating, and, after a minute, lockers no heartbeat ever named — through
 * `graphile_worker.force_unlock_workers`, which frees their named queues too (a queue is locked by the
 * same id as its running job). Jobs are idempotent, so freeing one whose worker is merely slow costs a
 * duplicate run, never a duplicate effect. Returns how many lockers were freed.
 */
export async function unlockDeadWorkers(svc: Services): Promise<number> {
  // One statement, so the set of dead lockers cannot change between finding and freeing them.
  const rows = await svc.db.execute<{ n: number }>(sql`
    with lockers as (
      select locked_by, min(locked_at) as since from graphile_worker.jobs
        where locked_by is not null group by locked_by
    ), dead as (
      select l.locked_by from lockers l
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
  await svc.db.execute(
    sql`delete from worker_heartbeats where last_seen_at < now() - make_interval(secs => ${DEAD_AFTER_SECONDS})`,
  );
  return n;
}
