import { type ChildProcess, spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { ConfigError, childEnv, env } from "../src/env";
import { createDb } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { ports } from "../src/server/db/schema/network";
import { DEV_ADMIN } from "../src/server/features/security/dev-admin";
import { seedDatabase } from "../src/server/seed/seed";
import { LOCAL_PORTS, startLocalStack } from "./local-stack";
import { prefixed } from "./prefixed-output";

/**
 * `npm run dev`: the whole of Traverse from one command. Starts what the environment lacks
 * (embedded Postgres, emulators), migrates, seeds an empty database, then runs Next.js and the worker
 * with prefixed logs. Ctrl-C stops everything it started, children first.
 *
 * `--prod` runs the production build instead of `next dev`, started exactly as in production — `npm start`
 * and `npm run worker` — but with NODE_ENV=test, because this stack runs on emulators and the development
 * admin account, which production mode refuses: used by benchmarks and e2e.
 */
const { values: args } = parseArgs({
  options: {
    prod: { type: "boolean", default: false },
    port: { type: "string" },
    workers: { type: "string", default: "1" },
    instances: { type: "string", default: "1" },
    /** Shifts the emulator and embedded-Postgres ports, so a test stack can run beside a dev stack. */
    "port-offset": { type: "string", default: "0" },
    /** Use this database name (on DATABASE_URL's server, or in the embedded cluster). */
    database: { type: "string" },
    /** Drop and recreate that database first: e2e runs start from a clean, freshly seeded state. */
    reset: { type: "boolean", default: false },
  },
});

const port = Number(args.port ?? env.PORT);
const appUrl = env.APP_URL ?? `http://localhost:${port}`;
const children: ChildProcess[] = [];
let shuttingDown = false;

async function main() {
  const offset = Number(args["port-offset"]);
  const stack = await startLocalStack({
    appUrl,
    log: (src, line) => prefixed(src, line),
    ports: offset
      ? {
          postgres: LOCAL_PORTS.postgres + offset,
          upstash: LOCAL_PORTS.upstash + offset,
          stripe: LOCAL_PORTS.stripe + offset,
          resend: LOCAL_PORTS.resend + offset,
        }
      : undefined,
    pgDir: offset ? `pg-${offset}` : undefined,
    databaseName: args.database,
    // Each shifted stack gets its own Redis database so its cache never mixes with the dev stack's.
    redisDb: offset ? 8 + (Math.floor(offset / 100) % 8) : undefined,
    flushCache: args.reset,
  });
  const vars = stack.vars;
  let stopStack: (() => Promise<void>) | null = stack.stop;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    prefixed("dev", "stopping…");
    await Promise.all(children.map((c) => stopChild(c)));
    await stopStack?.();
    stopStack = null;
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    const dbUrl = args.database
      ? await databaseNamed(vars.DATABASE_URL as string, args.database, args.reset)
      : (vars.DATABASE_URL as string);
    vars.DATABASE_URL = dbUrl;
    await migrateDatabase(dbUrl);
    const handle = createDb(dbUrl, { max: 2 });
    try {
      const [row] = await handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(ports)
        .where(eq(ports.code, "TUN"));
      if (!row?.n) {
        prefixed("dev", "empty database: seeding demo data (120 days of sailings)…");
        // A local stack always runs in development or test mode, where the development admin is allowed.
        const res = await seedDatabase(handle.db, { devAdmin: DEV_ADMIN });
        prefixed("dev", `seeded ${res.sailingsCreated} sailings`);
      }
    } finally {
      await handle.close();
    }

    const instances = Number(args.instances);
    const nodeEnv = args.prod ? "test" : "development";
    for (let i = 0; i < instances; i++) {
      const p = port + i;
      const [cmd, ...argv] = args.prod
        ? ["npm", "start", "--", "-p", String(p)]
        : ["npx", "next", "dev", "-p", String(p)];
      children.push(
        run(`web${instances > 1 ? i + 1 : ""}`, cmd as string, argv, {
          ...vars,
          PORT: String(p),
          NODE_ENV: nodeEnv,
        }),
      );
    }
    for (let i = 0; i < Number(args.workers); i++) {
      children.push(
        run(`worker${Number(args.workers) > 1 ? i + 1 : ""}`, "npm", ["run", "worker"], {
          ...vars,
          NODE_ENV: nodeEnv,
        }),
      );
    }

    await waitForHttp(`http://127.0.0.1:${port}/api/health`, 180_000);
    const lines = [
      "",
      `  Traverse is running:  ${appUrl}`,
      `  Admin:                ${appUrl}/admin  (${DEV_ADMIN.email} / ${DEV_ADMIN.password})`,
      ...stack.notes.map((n) => `  ${n}`),
      "  Press Ctrl-C to stop everything.",
      "",
    ];
    console.log(lines.join("\n"));
  } catch (e) {
    console.error(e instanceof ConfigError ? `\n${e.message}\n` : e);
    await shutdown(1);
  }
}

function run(name: string, cmd: string, argv: string[], vars: Record<string, string>): ChildProcess {
  const child = spawn(cmd, argv, { env: childEnv(vars), stdio: ["ignore", "pipe", "pipe"], detached: true });
  const forward = (d: string) => {
    for (const line of d.split("\n")) if (line) prefixed(name, line);
  };
  child.stdout?.setEncoding("utf8").on("data", forward);
  child.stderr?.setEncoding("utf8").on("data", forward);
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    prefixed(name, `exited (${signal ?? code}); stopping the rest`);
    process.kill(process.pid, "SIGTERM");
  });
  return child;
}

/** SIGTERM the child's whole process group (npx → node), then SIGKILL after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {}
    };
    const timer = setTimeout(() => kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    kill("SIGTERM");
  });
}

/** Points the URL at database `name` on the same server, creating (or with reset, recreating) it. */
async function databaseNamed(url: string, name: string, reset: boolean): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new ConfigError(`--database must be a plain name, got ${name}`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sqlc = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    if (reset) await sqlc.unsafe(`drop database if exists "${name}" with (force)`);
    const [exists] = await sqlc`select 1 from pg_database where datname = ${name}`;
    if (!exists) await sqlc.unsafe(`create database "${name}"`);
  } finally {
    await sqlc.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

void main();
