import postgres from "postgres";
import { configProblems, env, type RunMode, runMode } from "@/env";
import { explainDatabaseError } from "@/server/db/migrate";
import { DEV_ADMIN } from "./dev-admin";

/**
 * The checks `npm start` (scripts/start.ts) and `npm run worker` (worker/index.ts) run before anything
 * else — before migrations, before listening, before taking a job. Production must fail closed: a
 * development secret or account in production is a way in for anyone who has read this repository.
 */

/** Problems that need the database: today, the development admin account (its password is public). */
export async function databaseProblems(sql: postgres.Sql): Promise<string[]> {
  // A fresh database has no tables yet: nothing to find, and migrations come after these checks.
  const [table] = await sql<{ t: string | null }[]>`select to_regclass('public.admin_users')::text as t`;
  if (!table?.t) return [];
  const rows = await sql<{ id: string }[]>`select id from admin_users where email = ${DEV_ADMIN.email}`;
  if (rows.length === 0) return [];
  return [
    `The development admin account (${DEV_ADMIN.email}, whose password is in this repository) exists in the database. ` +
      `Delete it: psql "$DATABASE_URL" -c "delete from admin_users where email = '${DEV_ADMIN.email}'", ` +
      "and create real admins with `npm run admin:create`.",
  ];
}

export interface StartupReport {
  mode: RunMode;
  problems: string[];
}

/**
 * Every problem at once: the environment's (see `configProblems` in env.ts), then the database's when
 * it can be reached. Outside production only invalid values count (the module-level parse in env.ts
 * already refused those), so development and test stacks with emulators start as before.
 */
export async function startupProblems(): Promise<StartupReport> {
  const mode = runMode();
  const problems = configProblems();
  if (mode !== "production" || !env.DATABASE_URL) return { mode, problems };
  const sql = postgres(env.DATABASE_URL, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    problems.push(...(await databaseProblems(sql)));
  } catch (e) {
    problems.push(explainDatabaseError(e, env.DATABASE_URL).message);
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {});
  }
  return { mode, problems };
}

/** The text printed when start-up is refused: who, why, and every problem on its own line. */
export function refusalMessage(who: string, report: StartupReport): string {
  return [
    report.mode === "production"
      ? `${who}: refusing to start in production mode (NODE_ENV is neither development nor test):`
      : `${who}: refusing to start (${report.mode} mode):`,
    ...report.problems.map((p) => `  - ${p}`),
    "Fix these and start again. Local stacks with emulators run with NODE_ENV=development or NODE_ENV=test.",
  ].join("\n");
}
