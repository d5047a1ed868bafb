import { checkBeforeStart, exitOnStartError } from "@/server/features/security/safe-start";

/**
 * The worker process (`npm run worker`): refuses to start when production would be unsafe (see
 * server/features/security/startup-checks.ts; before anything else), applies migrations, runs
 * graphile-worker with the task list and crontab, and drains on SIGTERM/SIGINT (jobs in flight finish;
 * nothing new is taken). Modules are loaded after the checks so a bad environment is reported as such.
 */
async function main() {
  const mode = await checkBeforeStart("worker");
  const { env, required } = await import("@/env");
  const { migrateDatabase } = await import("@/server/db/migrate");
  const { createServices } = await import("@/server/services");
  const { startWorker } = await import("./runner");

  const url = required("DATABASE_URL", "The worker needs the same database as the app.");
  await migrateDatabase(url);
  // The one Services object of this process: every task runs on it.
  const svc = createServices();
  const { log } = svc;
  const worker = await startWorker({ connectionString: url, concurrency: env.WORKER_CONCURRENCY, svc });
  log.info("worker started", { workerId: worker.workerId, concurrency: env.WORKER_CONCURRENCY, mode });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker draining", { signal });
    const force = setTimeout(() => {
      log.error("worker did not drain in 30 s, exiting");
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await worker.stop();
      await svc.close();
    } finally {
      log.info("worker stopped");
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await worker.runner.promise;
}

main().catch(exitOnStartError("worker"));
