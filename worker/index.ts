import { checkBeforeStart, exitOnStartError } from "@/server/features/security/safe-start";

/**
 * The worker process (`npm run worker`): refuses to start when production would be unsafe (see
 * server/features/security/startup-checks.ts; before anything else), applies migrations, runs
 * graphile-worker with the task list and crontab, and drains on SIGTERM/SIGINT (jobs in flight finish;
 * nothing new is taken). Modules are loaded after the checks so a bad environment is reported as such.
 */
async function main() {
  const mode = await checkBeforeStart("worker");
  const { env, required, runMode } = await import("@/env");
  // Before any module that makes spans: tracing is registered once, and only with a collector to send to.
  const tracing = env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? (await import("@/server/lib/tracing-sdk")).registerTracing({
        serviceName: env.OTEL_SERVICE_NAME ?? "traverse-worker",
        otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      })
    : undefined;
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
  const metricsPort = env.WORKER_METRICS_PORT ?? (runMode() === "production" ? undefined : 9465);
  const { startMetricsServer } = await import("./metrics-server");
  const metricsServer =
    metricsPort === undefined
      ? undefined
      : await startMetricsServer({ svc, port: metricsPort, mode: runMode(), token: env.METRICS_TOKEN }).catch(
          (e: unknown) => {
            // Another worker on this machine has the port: this one runs without its own endpoint.
            log.warn("worker metrics port unavailable", { port: metricsPort, error: e });
            return undefined;
          },
        );
  if (metricsServer) log.info("worker metrics listening", { port: metricsServer.port });

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
      await metricsServer?.close();
      await tracing?.shutdown();
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
