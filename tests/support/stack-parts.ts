import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import type postgres from "postgres";
import { env } from "@/env";
import { createDb } from "@/server/db/client";
import { migrateDatabase } from "@/server/db/migrate";
import { ports } from "@/server/db/schema/network";
import { DEV_ADMIN } from "@/server/features/security/dev-admin";
import { seedDatabase } from "@/server/seed/seed";
import { pollUntil } from "./poll";
import { LOCAL_PORTS } from "./ports";
import { EmbeddedCluster, ensureDatabase } from "./postgres";
import type { ManagedProcess } from "./process";

/** The pieces of tests/support/stack.ts that do not start processes: the database and the secrets. */

export interface DatabaseChoice {
  /** own: a private cluster (killable); shared: DATABASE_URL's server, else the development cluster. */
  postgres?: "own" | "shared";
  /** Default: DATABASE_URL's own database on a shared server, else `traverse`. */
  database?: string;
  /** Drop and recreate the database first (a private cluster always starts empty). */
  reset?: boolean;
  seed?: { days?: number; devAdmin?: boolean } | false;
}

export interface PreparedDatabase {
  /** The cluster this stack started (and stops), if any. */
  pg: EmbeddedCluster | null;
  databaseUrl: string;
  databaseName: string;
  note: string;
}

/**
 * Starts or finds the PostgreSQL server, creates the database, applies the migrations and seeds it when
 * it is empty — all before the app or the worker connects.
 */
export async function prepareDatabase(
  choice: DatabaseChoice,
  where: {
    dir: string;
    root: string;
    port: () => Promise<number>;
    offset?: number;
    /** Where the connected operators' systems are (the stack's emulators): the seed marks them connected. */
    operatorUrls?: Record<string, string>;
  },
  log: (line: string) => void,
): Promise<PreparedDatabase> {
  let pg: EmbeddedCluster | null = null;
  let server: string;
  let name = choice.database ?? "traverse";
  let existing = false;
  if (choice.postgres !== "shared") {
    pg = new EmbeddedCluster(path.join(where.dir, "pg"), await where.port(), {
      // Enough for app + worker pools even when both reconnect at once after a restart.
      flags: ["-c", "max_connections=200", "-c", "listen_addresses=127.0.0.1"],
    });
    server = pg.url;
  } else if (env.DATABASE_URL) {
    server = env.DATABASE_URL;
    if (!choice.database) {
      name = decodeURIComponent(new URL(env.DATABASE_URL).pathname.slice(1)) || "postgres";
      existing = true;
    }
  } else {
    const offset = where.offset ?? 0;
    pg = new EmbeddedCluster(
      path.join(where.root, ".data", offset ? `pg-${offset}` : "pg"),
      LOCAL_PORTS.postgres + offset,
      { onError: (line) => log(`postgres: ${line}`) },
    );
    server = pg.url;
  }
  if (pg) {
    if (!pg.initialised) log(`initialising a new PostgreSQL cluster in ${path.relative(where.root, pg.dir)}`);
    await pg.start();
  }
  try {
    const databaseUrl = existing
      ? server
      : await ensureDatabase(server, name, { reset: choice.reset || choice.postgres !== "shared" });
    await migrateDatabase(databaseUrl);
    if (choice.seed !== false) await seedIfEmpty(databaseUrl, choice.seed ?? {}, where.operatorUrls, log);
    const at = pg
      ? `127.0.0.1:${pg.port} (data in ${path.relative(where.root, pg.dir)})`
      : "DATABASE_URL's server";
    return { pg, databaseUrl, databaseName: name, note: `PostgreSQL on ${at}, database ${name}` };
  } catch (e) {
    await pg?.stop().catch(() => {});
    throw e;
  }
}

/** Seeds the demo data when the database has none (a kept development database is left as it is). */
async function seedIfEmpty(
  databaseUrl: string,
  seed: { days?: number; devAdmin?: boolean },
  operatorUrls: Record<string, string> | undefined,
  log: (line: string) => void,
): Promise<void> {
  const handle = createDb(databaseUrl, { max: 2 });
  try {
    const [row] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(ports)
      .where(eq(ports.code, "TUN"));
    if (row?.n) return;
    log(`empty database: seeding demo data (${seed.days ?? 120} days of sailings)…`);
    // A stack always runs in development or test mode, where the development admin is allowed.
    const res = await seedDatabase(handle.db, {
      days: seed.days,
      devAdmin: seed.devAdmin === false ? null : DEV_ADMIN,
      // The process starting the stack may run in production mode, which knows no emulator URL.
      operatorUrl: operatorUrls ? (code) => operatorUrls[code] : undefined,
    });
    log(`seeded ${res.sailingsCreated} sailings`);
  } finally {
    await handle.close();
  }
}

/**
 * Production refuses to run without a real ticket key; a local stack gets one of its working tree's own,
 * kept in .data/ so ticket links survive restarts.
 */
export function localTicketKey(root: string): string {
  const file = path.join(root, ".data", "ticket-signing-key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString("hex");
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** The Redis behind the Upstash emulator of a stack on the shared Redis: REDIS_URL, logical db `db`. */
export function sharedRedisUrl(db?: number): string {
  const u = new URL(env.REDIS_URL ?? "redis://127.0.0.1:6379");
  if (db !== undefined) u.pathname = `/${db}`;
  return u.toString();
}

export interface Health {
  status: string;
  db: "ok" | "down";
  cache: "ok" | "disabled";
  worker: { lastSeenSecondsAgo: number | null };
}

/** What /api/health answers at `appUrl` (status 0 when nothing answers within 5 s). */
export async function healthAt(appUrl: string): Promise<{ status: number; body: Health | null }> {
  try {
    const res = await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, body: (await res.json()) as Health };
  } catch {
    return { status: 0, body: null };
  }
}

/** A caller's test-runner variables must not leak into the stack's processes. */
export const VITEST_UNSET = {
  VITEST: undefined,
  VITEST_MODE: undefined,
  VITEST_POOL_ID: undefined,
  VITEST_WORKER_ID: undefined,
};

/**
 * Spawns the worker processes and waits until each has written its first heartbeat. npm stands between
 * us and the worker's node process, so its pid is not in the worker id: a worker is up once a heartbeat
 * row that started after its spawn shows up (graphile-worker is then running).
 */
export async function startWorkersAndWait(sql: postgres.Sql, list: ManagedProcess[]): Promise<void> {
  const [since] = await sql<{ t: Date }[]>`select clock_timestamp() as t`;
  for (const w of list) w.spawn();
  await pollUntil(
    async () => {
      const dead = list.find((w) => !w.running);
      if (dead) throw new Error(`${dead.name} exited at start:\n${dead.lastLines()}`);
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from worker_heartbeats where started_at >= ${since!.t}`;
      return row?.n ?? 0;
    },
    (n) => n >= list.length,
    {
      what: () => `a first heartbeat from ${list.map((w) => `${w.name}:\n${w.lastLines(15)}`).join("\n")}`,
      timeoutMs: 60_000,
      intervalMs: 250,
    },
  );
}
