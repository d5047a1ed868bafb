import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import postgres from "postgres";
import { ConfigError } from "@/env";
import { isDatabaseUnavailable } from "@/server/lib/errors";

// Any constant will do; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_274_829_101;

/**
 * Applies pending drizzle migrations and graphile-worker's own schema. The app, the worker and the dev
 * script all call this on start; the advisory lock makes concurrent starts take turns instead of
 * racing on the same DDL.
 */
export async function migrateDatabase(url: string, opts: { migrationsFolder?: string } = {}): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await drizzleMigrate(drizzle(sql), {
        migrationsFolder: opts.migrationsFolder ?? path.join(process.cwd(), "drizzle"),
      });
      // The graphile_worker schema must exist before the first add_job, or a fresh database fails
      // every enqueue until a worker has started once.
      await runWorkerMigrations({ connectionString: url, logger: quietLogger });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } catch (e) {
    throw explainDatabaseError(e, url);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Turns a driver error at start-up into a message that names DATABASE_URL and the likely fix. */
export function explainDatabaseError(e: unknown, url: string): Error {
  let where = "DATABASE_URL";
  try {
    const u = new URL(url);
    where = `DATABASE_URL (${u.hostname}:${u.port || 5432}${u.pathname})`;
  } catch {}
  const code = (e as { code?: string }).code;
  if (isDatabaseUnavailable(e)) {
    return new ConfigError(
      `Cannot connect to PostgreSQL at ${where}: ${code ?? (e as Error).message}. Is the server running and the URL right? Unset DATABASE_URL to use the embedded database.`,
    );
  }
  if (code === "3D000") return new ConfigError(`The database in ${where} does not exist. Create it first.`);
  if (code === "28P01" || code === "28000")
    return new ConfigError(`PostgreSQL refused the credentials in ${where}.`);
  return e instanceof Error ? e : new Error(String(e));
}

const quietLogger = new Logger(() => (level: string, message: string) => {
  if (level === "error" || level === "warning") console.error(`graphile-worker: ${message}`);
});
