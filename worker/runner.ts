import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { Logger, run, type Runner, type WorkerEvents } from "graphile-worker";
import type { Logger as TraverseLogger } from "@/server/lib/log";
import type { Services } from "@/server/services";
import { startHeartbeat } from "./heartbeat";
import { buildTaskList, crontab } from "./task-list";

export interface WorkerHandle {
  runner: Runner;
  workerId: string;
  stop(): Promise<void>;
}

/**
 * graphile-worker's own log lines quote errors verbatim ("Failed task … with error '<message>': <stack>",
 * "…: ${error}"). A failed job is logged as one structured line; any other line that comes with an error
 * keeps only its text before the quoted part, and the error goes through `describeError` (via `log`).
 */
const graphileLogger = (log: TraverseLogger) =>
  new Logger((scope) => (level, message, meta) => {
    if (level === "debug") return;
    const fields: Record<string, unknown> = { task: scope.taskIdentifier, jobId: scope.jobId };
    const m = (meta ?? {}) as { failure?: boolean; error?: unknown; fatalError?: unknown; job?: JobLike };
    const error = m.error ?? m.fatalError;
    let text = message;
    if (m.failure && m.job) {
      text = "job failed";
      Object.assign(fields, {
        task: m.job.task_identifier,
        jobId: m.job.id,
        attempt: `${m.job.attempts}/${m.job.max_attempts}`,
      });
    } else if (error !== undefined || level === "error") {
      text = message.split(/[:'\n]/, 1)[0]?.trim() || "worker error";
    }
    if (error !== undefined) fields.error = error instanceof Error ? error : String(typeof error);
    if (level === "error") log.error(text, fields);
    else if (level === "warning") log.warn(text, fields);
    else log.debug(text, fields);
  });

interface JobLike {
  id: string;
  task_identifier: string;
  attempts: number;
  max_attempts: number;
}

/** Starts graphile-worker on the given database; used by `worker/index.ts` and by integration tests. */
export async function startWorker(opts: {
  connectionString: string;
  /** What every task runs on: the worker process's Services (worker/index.ts), or a test's own. */
  svc: Services;
  concurrency: number;
  /** Tests turn cron off so that sweeps do not race their assertions. */
  cron?: boolean;
  pollInterval?: number;
}): Promise<WorkerHandle> {
  const workerId = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  // The ids graphile-worker will lock jobs under (the pool's, with the local queue, and each worker's):
  // published in the heartbeat so that a dead process's jobs can be freed by the others.
  const lockIds = new Set<string>();
  const events = new EventEmitter() as WorkerEvents;
  events.on("pool:create", ({ workerPool }) => lockIds.add(workerPool.id));
  events.on("worker:create", ({ worker }) => lockIds.add(worker.workerId));
  const runner = await run({
    events,
    connectionString: opts.connectionString,
    concurrency: opts.concurrency,
    maxPoolSize: opts.concurrency + 2,
    noHandleSignals: true,
    pollInterval: opts.pollInterval ?? 1000,
    logger: graphileLogger(opts.svc.log),
    taskList: buildTaskList(opts.svc),
    crontab: opts.cron === false ? "" : crontab,
    preset: {
      worker: {
        // Fetch jobs in batches: fewer round trips under bursts. Kept small so that
        // several worker processes still share a burst instead of one locking it all.
        localQueue: { size: opts.concurrency + 1 },
      },
    },
  });
  const stopHeartbeat = startHeartbeat(opts.svc, workerId, () => [...lockIds]);
  return {
    runner,
    workerId,
    async stop() {
      await stopHeartbeat();
      await runner.stop();
    },
  };
}
