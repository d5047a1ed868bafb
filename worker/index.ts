import { ConfigError, env, required } from "@/env";
import { getDb, getDbHandle } from "@/server/db/client";
import { getCache } from "@/server/features/cache/instance";
import { getStripe } from "@/server/features/payments/stripe-client";
import { migrateDatabase } from "@/server/db/migrate";
import { describeError } from "@/server/lib/describe-error";
import { log } from "@/server/lib/log";
import { startWorker } from "./runner";

/**
 * The worker process: applies migrations, runs graphile-worker with the task list and crontab, and
 * drains on SIGTERM/SIGINT (jobs in flight finish; nothing new is taken).
 */
async function main() {
  const url = required("DATABASE_URL", "The worker needs the same database as the app.");
  await migrateDatabase(url);
  const worker = await startWorker({
    connectionString: url,
    concurrency: env.WORKER_CONCURRENCY,
    deps: { db: getDb(), cache: getCache(), stripe: getStripe },
  });
  log.info("worker started", { workerId: worker.workerId, concurrency: env.WORKER_CONCURRENCY });

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
      await getDbHandle().close();
    } finally {
      log.info("worker stopped");
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await worker.runner.promise;
}

main().catch((e) => {
  if (e instanceof ConfigError) {
    console.error(`worker: ${e.message}`);
  } else {
    // Not the error itself: a database error printed whole carries its query and parameters.
    console.error(`worker: fatal: ${describeError(e)}`);
  }
  process.exit(1);
});
