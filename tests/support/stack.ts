import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { childEnv, env } from "@/env";
import { EMULATOR_SECRETS } from "@/shared/emulator-secrets";
import { upstashCommand } from "./emulators";
import { type OperatorLatency, operatorParts, type StackOperator } from "./operator-parts";
import { pollUntil } from "./poll";
import { freePort, portsFor, waitPort } from "./ports";
import type { EmbeddedCluster } from "./postgres";
import { ManagedProcess, prefixed } from "./process";
import {
  type DatabaseChoice,
  type Health,
  healthAt,
  localTicketKey,
  prepareDatabase,
  sharedRedisUrl,
  startWorkersAndWait,
  VITEST_UNSET,
} from "./stack-parts";

/** The worker's metrics port in development (worker/index.ts); shifted like the other ports. */
const WORKER_METRICS_PORT = 9465;

export type { Health };

/**
 * The one way to start a whole Traverse for dev, e2e, benchmarks and fault scenarios: every part a real,
 * separate process that can be stopped, killed and started again — PostgreSQL (a private embedded cluster,
 * or a database on the shared server), Redis (a private redis-server, or the shared one) behind the Upstash
 * emulator, the Stripe and Resend emulators, and the app and worker started exactly as in production:
 * `npm start` and `npm run worker`, with NODE_ENV=test because the stack runs on emulators and
 * development secrets, which production refuses. Logs live under `.data/stacks/<name>-<pid>/`.
 */
export interface StackOptions extends DatabaseChoice {
  /** Names the stack's folder and its failure messages. */
  name: string;
  /** production (default): `npm start` on the build; development: `next dev` (NODE_ENV=development). */
  mode?: "production" | "development";
  /** The folder `next start` serves the build from (faults use a private copy); default the working tree. */
  buildDir?: string;
  /** Fixed ports: the development ports shifted by `offset`, the first app on `app`. Default: free ports. */
  ports?: { offset: number; app?: number };
  /** The address the app listens on (`-H`) and the host of the URLs handed out. Default: localhost. */
  host?: string;
  /** The first app's public URL (APP_URL); default `http://<host>:<port>`. */
  appUrl?: string;
  /** own: a private redis-server on a free port (default); shared: REDIS_URL, logical db `redisDb`. */
  redis?: "own" | "shared";
  redisDb?: number;
  instances?: number;
  workers?: number;
  /** Use the Stripe, Resend and Upstash the environment configures instead of their emulators (dev). */
  configuredServices?: boolean;
  /** Which emulator secrets (src/shared/emulator-secrets.ts) the stack runs with. Default: local. */
  secrets?: "local" | "faults";
  ticketKey?: string;
  /** Requests/s the Resend emulator allows; null: unlimited. Default: RESEND_RATE_LIMIT as the app gets it. */
  resendRateLimit?: number | null;
  /** Per-call delay of the operator emulators (tests/support/operator-parts.ts); default "off". */
  operatorLatency?: OperatorLatency;
  /** Extra environment for the app and the worker (wins over everything else). */
  env?: Record<string, string | undefined>;
  /** Echo every part's output with a `[part]` prefix; otherwise kept in log files and short tails. */
  echo?: boolean;
  /** Keep the stack's folder after `stop()`, for debugging. */
  keep?: boolean;
  /** A part exited without being asked to (dev stops everything then). */
  onUnexpectedExit?: (part: string, code: number | null, signal: NodeJS.Signals | null) => void;
  /** How long an app may take to answer /api/health (a cold `next dev` compiles first). Default 180 s. */
  startTimeoutMs?: number;
  /** Aborting stops every part started so far and makes `startStack` throw (Ctrl-C during start-up). */
  signal?: AbortSignal;
}

export type Part = "postgres" | "redis" | "upstash" | "stripe" | "resend" | "gnv" | "grm" | "app" | "worker";

export interface Stack {
  name: string;
  dir: string;
  /** The first app's URL (its APP_URL); `appUrls` has one per instance. */
  appUrl: string;
  appUrls: string[];
  urls: { stripe: string; resend: string; upstash: string; operators: Record<StackOperator, string> };
  upstashToken: string;
  databaseUrl: string;
  databaseName: string;
  redisPort: number | null;
  /** The variables the app and the worker run with, on top of this process's environment. */
  vars: Record<string, string>;
  /** Where each part listens, for a banner. */
  notes: string[];
  pg: EmbeddedCluster | null;
  redis: ManagedProcess | null;
  upstash: ManagedProcess | null;
  stripe: ManagedProcess | null;
  resend: ManagedProcess | null;
  /** The operator emulators (their control API is at `<url>/_emulator/`). */
  operators: Partial<Record<StackOperator, ManagedProcess>>;
  apps: ManagedProcess[];
  workers: ManagedProcess[];
  /** The first app and worker. */
  app: ManagedProcess;
  worker: ManagedProcess;
  /** A small pool for the caller's own checks; reconnects by itself after a PostgreSQL restart. */
  sql: postgres.Sql;
  health(instance?: number): Promise<{ status: number; body: Health | null }>;
  /**
   * Starts one more app instance on a free port with `env` on top of the stack's (a broken cache, say)
   * and waits until it answers; it is stopped with the stack, or earlier by the caller.
   */
  addApp(
    name: string,
    env: Record<string, string | undefined>,
  ): Promise<{ process: ManagedProcess; url: string }>;
  /** Starts a stopped part again and waits until it is ready (a worker: until its first heartbeat). */
  start(part: Part, index?: number): Promise<void>;
  /** The last lines of every part's output, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const root = process.cwd();
  const dir = path.join(root, ".data", "stacks", `${opts.name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "logs"), { recursive: true });
  const log = (line: string) => (opts.echo ? prefixed("stack", line) : undefined);
  const host = opts.host ?? "localhost";
  const urlOf = (port: number) => `http://${host}:${port}`;
  // The emulators listen on 127.0.0.1 only; Stripe's hosted page is shown at the app's host.
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const secrets = EMULATOR_SECRETS[opts.secrets ?? "local"];
  const real = opts.configuredServices === true;
  const instances = opts.instances ?? 1;
  const workerCount = opts.workers ?? 1;

  const fixed = opts.ports ? portsFor(opts.ports.offset) : null;
  const first = opts.ports?.app ?? fixed?.app ?? (await freePort());
  const appPorts = [first];
  for (let i = 1; i < instances; i++) appPorts.push(fixed ? first + i : await freePort());
  const port = {
    upstash: fixed?.upstash ?? (await freePort()),
    stripe: fixed?.stripe ?? (await freePort()),
    resend: fixed?.resend ?? (await freePort()),
    gnv: fixed?.gnv ?? (await freePort()),
    grm: fixed?.grm ?? (await freePort()),
  };
  const appUrls = appPorts.map((p, i) =>
    (i === 0 && opts.appUrl ? opts.appUrl : urlOf(p)).replace(/\/$/, ""),
  );
  const appUrl = appUrls[0] as string;

  const parts: ManagedProcess[] = [];
  const part = (name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: ReadyCheck) => {
    const p = new ManagedProcess(name, cmd, args, {
      env,
      logFile: path.join(dir, "logs", `${name}.log`),
      echo: opts.echo,
      ready,
      onUnexpectedExit: (mp, code, signal) => opts.onUnexpectedExit?.(mp.name, code, signal),
    });
    parts.push(p);
    return p;
  };
  const tools = childEnv({ NODE_ENV: "production" });
  const tsx = (script: string, args: string[]) => ["--import", "tsx", script, ...args];
  const lastLines = () => parts.map((p) => `--- ${p.name} (last lines)\n${p.lastLines(15)}`).join("\n");
  let pg: EmbeddedCluster | null = null;
  let sql: postgres.Sql | null = null;
  const stop = async () => {
    // The app and worker processes first (in parallel: a worker drains its jobs meanwhile), then the
    // emulators, then Redis: nothing is left talking to a part that is already gone.
    const waves = [
      parts.filter((p) => /^(app|worker)/.test(p.name)),
      parts.filter((p) => !/^(app|worker|redis)/.test(p.name)),
      parts.filter((p) => p.name === "redis"),
    ];
    for (const wave of waves) await Promise.all(wave.map((p) => p.stop().catch(() => {})));
    await sql?.end({ timeout: 2 }).catch(() => {});
    if (pg?.running) await pg.stop().catch(() => {});
    for (const p of parts) await p.close();
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  };

  const aborted = () => {
    if (opts.signal?.aborted) throw new Error("start-up aborted");
  };
  const onAbort = () => void stop();
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    const ops = operatorParts({
      ports: { GNV: port.gnv, GRM: port.grm },
      latency: opts.operatorLatency ?? "off",
      configured: real,
      echo: opts.echo === true,
      appUrl,
      part: (name, args, ready) => part(name, process.execPath, args, tools, ready),
    });
    // PostgreSQL first: migrated and seeded before anything else connects to it.
    const where = { dir, root, port: freePort, offset: opts.ports?.offset, operatorUrls: ops.urls };
    const db = await prepareDatabase(opts, where, log);
    pg = db.pg;
    aborted();
    const pool = postgres(db.databaseUrl, { max: 4, connect_timeout: 3, onnotice: () => {} });
    sql = pool;
    const notes = [db.note, ...ops.notes];
    const vars: Record<string, string> = { ...ops.vars };

    let redis: ManagedProcess | null = null;
    let redisPort: number | null = null;
    let redisUrl = sharedRedisUrl(opts.redisDb);
    if (opts.redis !== "shared") {
      const rp = await freePort();
      redisPort = rp;
      redisUrl = `redis://127.0.0.1:${rp}`;
      const args = ["--port", String(rp), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
      redis = part("redis", "redis-server", [...args, "--daemonize", "no"], tools, (mp) =>
        waitPort(rp, 10_000, () => mp.running),
      );
    }

    let upstash: ManagedProcess | null = null;
    let upstashUrl = local(port.upstash);
    let upstashToken: string = secrets.upstashToken;
    if (real && env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
      upstashUrl = env.UPSTASH_REDIS_REST_URL;
      upstashToken = env.UPSTASH_REDIS_REST_TOKEN;
    } else {
      const args = tsx("emulators/upstash/main.ts", [
        ...["--port", String(port.upstash), "--token", upstashToken, "--redis-url", redisUrl],
      ]);
      upstash = part("upstash", process.execPath, args, tools, (mp) =>
        waitPort(port.upstash, 30_000, () => mp.running),
      );
      notes.push(`Upstash emulator on ${upstashUrl} (Redis behind it: ${redisUrl})`);
    }
    Object.assign(vars, { UPSTASH_REDIS_REST_URL: upstashUrl, UPSTASH_REDIS_REST_TOKEN: upstashToken });

    let stripe: ManagedProcess | null = null;
    let stripeUrl = local(port.stripe);
    if (real && env.STRIPE_SECRET_KEY) {
      stripeUrl = env.STRIPE_API_BASE ?? "https://api.stripe.com";
      vars.STRIPE_SECRET_KEY = env.STRIPE_SECRET_KEY;
      if (env.STRIPE_WEBHOOK_SECRET) vars.STRIPE_WEBHOOK_SECRET = env.STRIPE_WEBHOOK_SECRET;
      if (env.STRIPE_API_BASE) vars.STRIPE_API_BASE = env.STRIPE_API_BASE;
    } else {
      const args = tsx("emulators/stripe/main.ts", [
        ...["--port", String(port.stripe), "--public-url", urlOf(port.stripe)],
        ...["--webhook-secret", secrets.webhookSecret],
        ...["--webhook-url", `${appUrl}/api/webhooks/stripe`, ...(opts.echo ? [] : ["--quiet"])],
      ]);
      stripe = part("stripe", process.execPath, args, tools, (mp) =>
        waitPort(port.stripe, 30_000, () => mp.running),
      );
      vars.STRIPE_SECRET_KEY = secrets.stripeKey;
      vars.STRIPE_WEBHOOK_SECRET = secrets.webhookSecret;
      vars.STRIPE_API_BASE = stripeUrl;
      notes.push(`Stripe emulator on ${stripeUrl} (test card 4242 4242 4242 4242)`);
    }

    let resend: ManagedProcess | null = null;
    let resendUrl = local(port.resend);
    if (real && env.RESEND_API_KEY) {
      resendUrl = env.RESEND_BASE_URL ?? "https://api.resend.com";
      vars.RESEND_API_KEY = env.RESEND_API_KEY;
      if (env.RESEND_BASE_URL) vars.RESEND_BASE_URL = env.RESEND_BASE_URL;
    } else {
      // By default the emulator enforces the rate the app is configured for, as Resend would.
      const limit =
        opts.resendRateLimit === undefined
          ? Number(opts.env?.RESEND_RATE_LIMIT ?? env.RESEND_RATE_LIMIT)
          : opts.resendRateLimit;
      const args = tsx("emulators/resend/main.ts", [
        ...["--port", String(port.resend), ...(limit ? ["--rate-limit", String(limit)] : [])],
        ...(opts.echo ? [] : ["--quiet"]),
      ]);
      resend = part("resend", process.execPath, args, tools, (mp) =>
        waitPort(port.resend, 30_000, () => mp.running),
      );
      vars.RESEND_API_KEY = secrets.resendKey;
      vars.RESEND_BASE_URL = resendUrl;
      notes.push(`Resend emulator: inbox at ${resendUrl}`);
    }

    Object.assign(vars, {
      NODE_ENV: opts.mode === "development" ? "development" : "test",
      NEXT_TELEMETRY_DISABLED: "1",
      APP_URL: appUrl,
      DATABASE_URL: db.databaseUrl,
      TICKET_SIGNING_KEY: opts.ticketKey ?? env.TICKET_SIGNING_KEY ?? localTicketKey(root),
    });
    // What production would read from its environment; a caller's test-runner variables stay out.
    const runEnv = (extra: Record<string, string>, override: Record<string, string | undefined> = {}) =>
      childEnv({ REDIS_URL: undefined, ...VITEST_UNSET, ...vars, ...extra, ...opts.env, ...override });

    const app = (name: string, p: number, override?: Record<string, string | undefined>) => {
      const listen = ["-p", String(p), ...(opts.host ? ["-H", opts.host] : [])];
      const [cmd, args] =
        opts.mode === "development"
          ? ["npx", ["next", "dev", ...listen]]
          : ["npm", ["start", "--", ...(opts.buildDir ? [opts.buildDir] : []), ...listen]];
      const env = runEnv({ PORT: String(p) }, override);
      return part(name, cmd as string, args as string[], env, async (mp) => {
        const alive = () => {
          if (!mp.running) throw new Error(`${name} exited`);
          return healthAt(urlOf(p));
        };
        await pollUntil(alive, (h) => h.status === 200, {
          what: `${name} to answer /api/health with 200`,
          timeoutMs: opts.startTimeoutMs ?? 180_000,
          intervalMs: 250,
        });
      });
    };
    const apps = appPorts.map((p, i) => app(instances > 1 ? `app${i + 1}` : "app", p));
    // Each worker's metrics endpoint: 9465 (+ offset, + i) on fixed ports as `npm run dev` documents,
    // else a free port, so that stacks of several test files and `npm run dev` coexist.
    const metricsPorts = await Promise.all(
      Array.from({ length: workerCount }, (_, i) =>
        fixed ? WORKER_METRICS_PORT + (opts.ports?.offset ?? 0) + i : freePort(),
      ),
    );
    const workers = Array.from({ length: workerCount }, (_, i) =>
      part(
        workerCount > 1 ? `worker${i + 1}` : "worker",
        "npm",
        ["run", "worker"],
        runEnv({ WORKER_METRICS_PORT: String(metricsPorts[i]) }),
        async () => {},
      ),
    );
    const startWorkers = (list: ManagedProcess[]) => startWorkersAndWait(pool, list);

    aborted();
    await redis?.start();
    aborted();
    const emulators = [upstash, stripe, resend, ...Object.values(ops.processes)];
    await Promise.all(emulators.map((p) => p?.start()));
    if (opts.reset && opts.redis === "shared" && upstash) {
      // A fresh e2e or benchmark run must not see the cache entries of the last one.
      await upstashCommand(upstashUrl, upstashToken, ["flushdb"]);
    }
    aborted();
    await Promise.all(apps.map((a) => a.start()));
    aborted();
    await startWorkers(workers);
    opts.signal?.removeEventListener("abort", onAbort);
    notes.unshift(...appUrls.map((u) => `app on ${u}`));

    return {
      name: opts.name,
      dir,
      appUrl,
      appUrls,
      urls: { stripe: stripeUrl, resend: resendUrl, upstash: upstashUrl, operators: ops.urls },
      upstashToken,
      databaseUrl: db.databaseUrl,
      databaseName: db.databaseName,
      redisPort,
      vars,
      notes,
      pg,
      redis,
      upstash,
      stripe,
      resend,
      operators: ops.processes,
      apps,
      workers,
      app: apps[0] as ManagedProcess,
      worker: workers[0] as ManagedProcess,
      sql: pool,
      health: (i = 0) => healthAt(urlOf(appPorts[i] as number)),
      async addApp(name, override) {
        const p = await freePort();
        // Named app-…, so that stop() takes it down with the other app processes.
        const extra = app(name.startsWith("app") ? name : `app-${name}`, p, override);
        await extra.start();
        return { process: extra, url: urlOf(p) };
      },
      async start(which, index = 0) {
        if (which === "worker") return startWorkers([workers[index] as ManagedProcess]);
        if (which === "postgres") {
          if (!pg) throw new Error(`${opts.name}: this stack uses a PostgreSQL it does not own`);
          return pg.start();
        }
        const named = { redis, upstash, stripe, resend, gnv: ops.processes.GNV, grm: ops.processes.GRM };
        const p = which === "app" ? apps[index] : named[which];
        if (!p) throw new Error(`${opts.name}: this stack has no ${which} of its own`);
        await p.start();
      },
      logs: lastLines,
      stop,
    };
  } catch (e) {
    opts.signal?.removeEventListener("abort", onAbort);
    const logs = lastLines();
    await stop();
    throw new Error(`${opts.name}: the stack did not start: ${(e as Error).message}\n${logs}`);
  }
}

type ReadyCheck = (p: ManagedProcess) => Promise<void>;
