/**
 * Runs once when a Next.js server starts. `npm start` has already refused an unsafe production
 * configuration and migrated (scripts/start.ts), but a server started with plain `next start` skips that
 * script: the same checks run here, so production fails closed either way. Then pending migrations (and
 * graphile-worker's schema, which `add_job` needs), so a fresh database works without the worker.
 */
export async function register() {
  // NEXT_RUNTIME is a build-time constant Next.js inlines, not configuration; the edge runtime must not
  // load the Node-only migration code.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkBeforeStart } = await import("./server/features/security/safe-start");
  await checkBeforeStart("app");
  const { env, ConfigError, isProduction } = await import("./env");
  if (isProduction && env.TRUSTED_PROXY_HOPS === 0) {
    // Next.js does not give route handlers the socket address, so without a trusted proxy every client
    // shares one bucket of the per-client limits (src/server/features/security/client-address.ts).
    console.warn(
      "TRUSTED_PROXY_HOPS is 0: X-Forwarded-For is ignored and all clients share one rate-limit bucket. Set it to the number of proxies in front of the app.",
    );
  }
  if (isProduction && !env.METRICS_TOKEN) {
    // Not a reason to refuse to start (the site sells tickets without monitoring), but say it once.
    console.warn("METRICS_TOKEN is not set: /api/metrics answers 404 until a scraper's token is configured.");
  }
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    // Spans only with a collector to send them to; otherwise the API's no-op tracer costs nothing.
    const { registerTracing } = await import("./server/lib/tracing-sdk");
    registerTracing({
      serviceName: env.OTEL_SERVICE_NAME ?? "traverse-app",
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    });
  }
  const { migrateDatabase } = await import("./server/db/migrate");
  const { describeError } = await import("./server/lib/describe-error");
  if (!env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: run `npm run dev` for a local database, or set it.");
    return;
  }
  try {
    await migrateDatabase(env.DATABASE_URL);
  } catch (e) {
    // Keep serving: /api/health reports the database, and requests answer 503 until it is back.
    console.error(e instanceof ConfigError ? e.message : `migration failed: ${describeError(e)}`);
  }
}
