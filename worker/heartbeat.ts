import { forgetWorker, recordHeartbeat, unlockDeadWorkers } from "@/server/features/jobs/workers";
import { metrics } from "@/server/lib/metrics";
import type { Services } from "@/server/services";

export const HEARTBEAT_INTERVAL_MS = 5_000;
const RECOVERY_INTERVAL_MS = 10_000;

/**
 * Beats every few seconds with the ids graphile-worker locks jobs under, so that /api/health can tell a
 * live worker from a dead one, and every ten seconds frees the jobs of workers that stopped beating
 * (`unlockDeadWorkers`). Returns the function that stops both and forgets this worker.
 */
export function startHeartbeat(
  svc: Services,
  workerId: string,
  lockIds: () => string[],
): () => Promise<void> {
  let stopped = false;
  const beat = async () => {
    try {
      await recordHeartbeat(svc, workerId, lockIds());
      // `traverse_worker_heartbeat_timestamp_seconds`: the "worker heartbeat missing" alert reads it.
      metrics().workerHeartbeat.set(Date.now() / 1000);
    } catch (e) {
      // The database may be restarting; the next beat will try again.
      svc.log.warn("heartbeat failed", { error: e });
    }
  };
  const recover = async () => {
    try {
      const freed = await unlockDeadWorkers(svc);
      if (freed > 0) svc.log.warn("freed jobs locked by a dead worker", { lockers: freed });
    } catch (e) {
      svc.log.warn("dead-worker recovery failed", { error: e });
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
    await forgetWorker(svc, workerId).catch(() => {});
  };
}
