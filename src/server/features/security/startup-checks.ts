import postgres from "postgres";
import {
  configProblems,
  emulatorHostPort,
  env,
  isOperatorEmulatorUrl,
  operatorUrlOverride,
  type RunMode,
  runMode,
} from "@/env";
import { explainDatabaseError } from "@/server/db/migrate";
import { DEV_ADMIN } from "./dev-admin";

/**
 * The checks `npm start` (scripts/start.ts) and `npm run worker` (worker/index.ts) run before anything
 * else — before migrations, before listening, before taking a job. Production must fail closed: a
 * development secret or account in production is a way in for anyone who has read this repository.
 */

/**
 * Problems that need the database: the development admin account (its password is public), and
 * connected operators whose row sends calls to a local operator emulator.
 */
export async function databaseProblems(
  sql: postgres.Sql,
  /** OPERATOR_<CODE>_URL, which wins over the row (a row it overrides is never called). */
  urlOverride: (code: string) => string | undefined = operatorUrlOverride,
): Promise<string[]> {
  // A fresh database has no tables yet: nothing to find, and migrations come after these checks.
  const [table] = await sql<{ t: string | null }[]>`select to_regclass('public.admin_users')::text as t`;
  if (!table?.t) return [];
  const problems: string[] = [];
  const rows = await sql<{ id: string }[]>`select id from admin_users where email = ${DEV_ADMIN.email}`;
  if (rows.length > 0) {
    problems.push(
      `The development admin account (${DEV_ADMIN.email}, whose password is in this repository) exists in the database. ` +
        `Delete it: psql "$DATABASE_URL" -c "delete from admin_users where email = '${DEV_ADMIN.email}'", ` +
        "and create real admins with `npm run admin:create`.",
    );
  }
  problems.push(...(await operatorRowProblems(sql, urlOverride)));
  return problems;
}

/**
 * Connected operators' rows (enabled or not: an admin can enable one without a restart) whose base URL is
 * a local operator emulator's. Databases from before operators had a kind and a URL have nothing to check.
 */
async function operatorRowProblems(
  sql: postgres.Sql,
  urlOverride: (code: string) => string | undefined,
): Promise<string[]> {
  const columns = await sql<{ n: number }[]>`
    select count(*)::int as n from information_schema.columns
    where table_schema = 'public' and table_name = 'operators' and column_name in ('kind', 'base_url')`;
  if (columns[0]?.n !== 2) return [];
  const rows = await sql<{ code: string; baseUrl: string | null }[]>`
    select code, base_url as "baseUrl" from operators where kind = 'connected' order by code`;
  return rows
    .filter((r) => !urlOverride(r.code) && r.baseUrl !== null && isOperatorEmulatorUrl(r.baseUrl))
    .map(
      (r) =>
        `Operator ${r.code}'s base URL in the database points at a local operator emulator (${emulatorHostPort(r.baseUrl!)}): ` +
        `set OPERATOR_${r.code}_URL to ${r.code}'s reservation system's address, ` +
        `or fix the row: psql "$DATABASE_URL" -c "update operators set base_url = '<its address>' where code = '${r.code}'".`,
    );
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
