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
  const { env, ConfigError } = await import("./env");
  const { migrateDatabase } = await import("./server/db/migrate");
  if (!env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: run `npm run dev` for a local database, or set it.");
    return;
  }
  try {
    await migrateDatabase(env.DATABASE_URL);
  } catch (e) {
    // Keep serving: /api/health reports the database, and requests answer 503 until it is back.
    console.error(e instanceof ConfigError ? e.message : e);
  }
}
