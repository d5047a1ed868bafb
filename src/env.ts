import { z } from "zod";
import { EMULATOR_UPSTASH_PORT, isEmulatorSecret } from "./shared/emulator-secrets";

/**
 * The only reader of process.env, shared by the app, the worker, scripts and tests.
 * Every variable is optional here because `npm run dev` fills in local stand-ins for whatever is
 * unset; code that needs a value in production asks through `required()`, which names
 * the variable and says what to do instead of failing with a stack trace deep in a driver.
 */
const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
    );

const modes = ["production", "development", "test"] as const;
export type RunMode = (typeof modes)[number];

const schema = z.object({
  /** Free text on purpose: anything but `development` or `test` means production (see `runMode`). */
  NODE_ENV: z.string().optional(),
  /**
   * The mode the operator chose, handed to `next start` by `scripts/start.ts`: Next forces NODE_ENV to
   * `production` inside its own process, so NODE_ENV alone cannot carry a test or development choice there.
   */
  TRAVERSE_MODE: z.enum(modes, "must be production, development or test").optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: url(["http:", "https:"]).optional(),
  DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
  UPSTASH_REDIS_REST_URL: url(["http:", "https:"]).optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  REDIS_URL: url(["redis:", "rediss:"]).optional(),
  STRIPE_SECRET_KEY: z.string().startsWith("sk_", "must start with sk_").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must start with whsec_").optional(),
  STRIPE_API_BASE: url(["http:", "https:"]).optional(),
  RESEND_API_KEY: z.string().startsWith("re_", "must start with re_").optional(),
  RESEND_BASE_URL: url(["http:", "https:"]).optional(),
  RESEND_RATE_LIMIT: z.coerce.number().int().positive().default(2),
  EMAIL_FROM: z.string().min(3).default("Traverse <tickets@traverse.example>"),
  /** HMAC key for e-tickets and signed links; a fixed dev value is used outside production. */
  TICKET_SIGNING_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** Tunables, mostly for tests and benchmarks. */
  HOLD_MINUTES: z.coerce.number().int().min(1).max(120).default(30),
  CACHE_TIMEOUT_MS: z.coerce.number().int().min(10).max(5000).default(250),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /**
   * How many reverse proxies (load balancer, CDN) sit in front of the app and append to X-Forwarded-For.
   * 0: the header is ignored (a client writes it itself); N: the N-th entry from the right is the client.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Fair use of inventory (see `src/server/features/booking/limits.ts`). The defaults are what a family
   * never reaches; benchmarks and e2e runs, which book a lot from one address, configure higher numbers.
   */
  BOOKING_CREATES_PER_CLIENT: z.coerce.number().int().min(1).max(1_000_000).default(10),
  BOOKING_UNPAID_PER_EMAIL: z.coerce.number().int().min(1).max(1_000_000).default(3),
  BOOKING_HELD_PLACES_PER_CLIENT: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Port shift of the Playwright stack (app on 3000 + offset, emulators likewise), so runs can coexist. */
  E2E_PORT_OFFSET: z.coerce.number().int().min(100).max(5000).default(100),
  /**
   * The longest any call to a connected operator may take: the timeout of operators whose row has none,
   * and the cap of those whose row asks for more (a search waits for the slowest operator it asks).
   */
  OPERATOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(1500),
  /**
   * What a Prometheus scraper presents (`Authorization: Bearer …`) to read `/api/metrics` and the worker's
   * metrics port. Without it production serves no metrics; development serves them to loopback only.
   */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** The worker's metrics port: 9465 by default in development and tests, off unless set in production. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** OTLP/HTTP collector base URL (e.g. http://collector:4318); traces are exported only when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(["http:", "https:"]).optional(),
  /** The service name traces carry; defaults to traverse-app / traverse-worker. */
  OTEL_SERVICE_NAME: z.string().min(1).max(100).optional(),
});

export type Env = z.infer<typeof schema>;

/** Public in this repository, so anyone could forge tickets signed with it: development and tests only. */
export const DEVELOPMENT_TICKET_SIGNING_KEY = "traverse-development-ticket-signing-key-not-for-production";

/**
 * Where `npm run dev` and the tests run the operator emulators (emulators/operator). Declared before
 * `configProblems`, which production start-up runs while this module loads.
 */
const DEVELOPMENT_OPERATOR_URLS: Record<string, string> = {
  GNV: "http://127.0.0.1:12401",
  GRM: "http://127.0.0.1:12402",
};
/** Accepted by the operator emulators (they take any non-empty key unless started with one). */
export const DEVELOPMENT_OPERATOR_API_KEY = "traverse-development-operator-key";

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Source = Record<string, string | undefined>;

/** Empty strings come from `FOO=` lines in shells and .env files: treat them as unset. */
function clean(source: Source): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""),
  );
}

/** Parses an environment; exported so tests can check configurations without touching process.env. */
export function parseEnv(source: Source): Env {
  const result = schema.safeParse(clean(source));
  if (!result.success) {
    const lines = configProblems(source).map((p) => `  - ${p}`);
    throw new ConfigError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** What production cannot run without, with what to put there. */
const REQUIRED_IN_PRODUCTION: [string, string][] = [
  ["DATABASE_URL", "point it at the production PostgreSQL"],
  ["APP_URL", "the public https:// address of the site; emails, tickets and Stripe redirects link to it"],
  ["STRIPE_SECRET_KEY", "the live secret key from the Stripe dashboard"],
  ["STRIPE_WEBHOOK_SECRET", "the signing secret of the webhook endpoint in the Stripe dashboard"],
  ["RESEND_API_KEY", "an API key from the Resend dashboard"],
  [
    "TICKET_SIGNING_KEY",
    "generate one with `openssl rand -hex 32` and keep it (tickets signed with it stay valid)",
  ],
];

const SECRETS = [
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "RESEND_API_KEY",
  "UPSTASH_REDIS_REST_TOKEN",
  "TICKET_SIGNING_KEY",
  "METRICS_TOKEN",
];

/**
 * Every reason this environment cannot run, all at once so an operator fixes them in one go: invalid
 * values in any mode, and in production (see `runMode`) anything that belongs to development — the
 * public ticket key, an emulator's secret or address, missing live configuration. Values are never
 * echoed: they may be real secrets. The development admin account is a database matter, checked by
 * `startupProblems` in server/features/security/startup-checks.ts.
 */
export function configProblems(source: Source = process.env): string[] {
  const raw = clean(source);
  const parsed = schema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const mode = runMode({
    NODE_ENV: raw.NODE_ENV,
    TRAVERSE_MODE: modes.find((m) => m === raw.TRAVERSE_MODE),
  });
  if (mode !== "production") return problems;

  for (const [key, hint] of REQUIRED_IN_PRODUCTION) {
    if (!raw[key]) problems.push(`${key} is not set: ${hint}.`);
  }
  if (raw.TICKET_SIGNING_KEY === DEVELOPMENT_TICKET_SIGNING_KEY) {
    problems.push(
      "TICKET_SIGNING_KEY is the public development key: anyone could forge tickets. Generate one with `openssl rand -hex 32`.",
    );
  }
  for (const key of SECRETS) {
    const value = raw[key];
    if (value && isEmulatorSecret(value)) {
      problems.push(`${key} is a local emulator's secret (from this repository): set the real one.`);
    }
  }
  for (const key of ["STRIPE_API_BASE", "RESEND_BASE_URL"]) {
    if (raw[key]) {
      problems.push(`${key} is set: it sends the app to an emulator instead of the real service. Unset it.`);
    }
  }
  if (raw.UPSTASH_REDIS_REST_URL && isEmulatorAddress(raw.UPSTASH_REDIS_REST_URL)) {
    problems.push(
      `UPSTASH_REDIS_REST_URL points at the local Upstash emulator (port ${EMULATOR_UPSTASH_PORT}): use the database's REST URL from the Upstash console.`,
    );
  }
  problems.push(...operatorProblems(raw));
  if (!raw.UPSTASH_REDIS_REST_URL !== !raw.UPSTASH_REDIS_REST_TOKEN) {
    problems.push(
      "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together: set both, or neither to run without a cache.",
    );
  }
  if (raw.APP_URL?.trim().toLowerCase().startsWith("http:")) {
    problems.push(
      "APP_URL must start with https:// in production: the admin session cookie is Secure (__Host-) and browsers drop it over plain http.",
    );
  }
  return problems;
}

/**
 * Connected operators in production: an `OPERATOR_<CODE>_URL` on a local operator emulator's port, or an
 * `OPERATOR_<CODE>_API_KEY` that is the public development key (or an emulator's), would sell real
 * travellers places that exist nowhere. Operators' rows are checked against the same addresses by
 * `databaseProblems` (server/features/security/startup-checks.ts).
 */
function operatorProblems(raw: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(raw).sort(([a], [b]) => a.localeCompare(b))) {
    const match = /^OPERATOR_([A-Z]{3})_(API_KEY|URL)$/.exec(name);
    if (!match) continue;
    if (match[2] === "URL" && isOperatorEmulatorUrl(value)) {
      problems.push(
        `${name} points at a local operator emulator (${emulatorHostPort(value)}): set it to ${match[1]}'s reservation system's address.`,
      );
    }
    if (match[2] === "API_KEY" && (value === DEVELOPMENT_OPERATOR_API_KEY || isEmulatorSecret(value))) {
      problems.push(
        `${name} is the development key (from this repository): set the key ${match[1]} issued to Traverse.`,
      );
    }
  }
  return problems;
}

const LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"];

/** True for the address of a local operator emulator (`npm run dev`'s GNV and GRM ports). */
export function isOperatorEmulatorUrl(value: string): boolean {
  try {
    const u = new URL(value);
    const ports = Object.values(DEVELOPMENT_OPERATOR_URLS).map((d) => new URL(d).port);
    return (LOCAL_HOSTS.includes(u.hostname) || u.hostname.startsWith("127.")) && ports.includes(u.port);
  } catch {
    return false;
  }
}

/** Only host and port: never a path or credentials someone may have written into the URL. */
export function emulatorHostPort(value: string): string {
  try {
    return new URL(value).host;
  } catch {
    return "an invalid URL";
  }
}

function isEmulatorAddress(value: string): boolean {
  try {
    const u = new URL(value);
    const local = ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"].includes(u.hostname);
    return local && Number(u.port) === EMULATOR_UPSTASH_PORT;
  } catch {
    return false;
  }
}

export const env: Env = parseEnv(process.env);

/**
 * Which mode this process runs in — the one answer every part asks. Fails closed: production unless the
 * operator said `development` or `test` (TRAVERSE_MODE first, because inside `next start` NODE_ENV is
 * always `production`), so a worker started without NODE_ENV never signs tickets with the public
 * development key.
 */
export function runMode(e: Pick<Env, "NODE_ENV" | "TRAVERSE_MODE"> = env): RunMode {
  if (e.TRAVERSE_MODE) return e.TRAVERSE_MODE;
  if (e.NODE_ENV === "development" || e.NODE_ENV === "test") return e.NODE_ENV;
  return "production";
}

export const isProduction = runMode() === "production";

/**
 * True only under `next dev` (and tools started with NODE_ENV=development): React needs `eval` there
 * for its error overlay, so the content security policy allows it in that case alone.
 */
export const isDevelopmentServer = env.NODE_ENV === "development";

type OptionalKey = {
  [K in keyof Env]-?: undefined extends Env[K] ? K : never;
}[keyof Env];

/** A value production cannot run without; the message tells the operator what to set. */
export function required<K extends OptionalKey>(key: K, hint?: string): NonNullable<Env[K]> {
  const value = env[key];
  if (value === undefined || value === null) {
    throw new ConfigError(
      `${key} is not set.${hint ? ` ${hint}` : ""} Run \`npm run dev\` to get local stand-ins, or set it in the environment.`,
    );
  }
  return value as NonNullable<Env[K]>;
}

/** The public base URL used in emails, Stripe redirect URLs and ticket links. */
export function appUrl(): string {
  return (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/**
 * Development-only fallback so a fresh clone runs without secrets; production refuses to start
 * without a real key because forged tickets would otherwise verify. Checked here as well as at
 * start-up so that no code path in production can sign with the public key.
 */
export function ticketSigningKey(): string {
  if (isProduction) {
    const key = required("TICKET_SIGNING_KEY", "Generate one with `openssl rand -hex 32`.");
    if (key === DEVELOPMENT_TICKET_SIGNING_KEY) {
      throw new ConfigError(
        "TICKET_SIGNING_KEY is the public development key. Generate one with `openssl rand -hex 32`.",
      );
    }
    return key;
  }
  return env.TICKET_SIGNING_KEY ?? DEVELOPMENT_TICKET_SIGNING_KEY;
}

/**
 * Per-operator settings, read generically for any three-letter operator code: `OPERATOR_<CODE>_API_KEY`
 * (the key the operator issued to Traverse) and `OPERATOR_<CODE>_URL` (its reservation system's base URL,
 * overriding the operator's row, e.g. to point development at an emulator on another port).
 */
export interface OperatorEnv {
  apiKey?: string;
  url?: string;
  /** Signs the operator's push notifications (POST /api/webhooks/operators/<code>). */
  webhookSecret?: string;
}

const OPERATOR_VARIABLE = /^OPERATOR_([A-Z]{3})_(API_KEY|URL|WEBHOOK_SECRET)$/;
const operatorUrl = url(["http:", "https:"]);

/** Exported for tests; the app reads the result through `operatorApiKey` and `operatorBaseUrl`. */
export function parseOperatorEnv(source: Record<string, string | undefined>): Record<string, OperatorEnv> {
  const out: Record<string, OperatorEnv> = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(source)) {
    const match = OPERATOR_VARIABLE.exec(name);
    const value = raw?.trim();
    if (!match || !value) continue;
    const [, code, what] = match as unknown as [string, string, "API_KEY" | "URL" | "WEBHOOK_SECRET"];
    const entry = out[code] ?? {};
    out[code] = entry;
    if (what === "API_KEY") {
      entry.apiKey = value;
    } else if (what === "WEBHOOK_SECRET") {
      entry.webhookSecret = value;
    } else {
      const parsed = operatorUrl.safeParse(value);
      if (parsed.success) entry.url = parsed.data.replace(/\/+$/, "");
      else problems.push(`  - ${name}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    }
  }
  if (problems.length) throw new ConfigError(`Invalid environment configuration:\n${problems.join("\n")}`);
  return out;
}

const operatorEnv = parseOperatorEnv(process.env);

/**
 * The API key for a connected operator. Outside production a development key stands in, so a fresh clone
 * talks to the emulators; in production there is none unless configured, and the operator is then left
 * out of the directory (see `src/server/features/operators/directory.ts`).
 */
export function operatorApiKey(code: string): string | undefined {
  return operatorEnv[code]?.apiKey ?? (isProduction ? undefined : DEVELOPMENT_OPERATOR_API_KEY);
}

/** Signs the emulators' pushes in development and tests (tests/support/operator-parts.ts passes it). */
export const DEVELOPMENT_OPERATOR_WEBHOOK_SECRET = "traverse-development-operator-webhook-secret";

/**
 * The secret a connected operator signs its push notifications with; outside production a development
 * secret stands in, in production there is none unless configured (the webhook then refuses every push).
 */
export function operatorWebhookSecret(code: string): string | undefined {
  return operatorEnv[code]?.webhookSecret ?? (isProduction ? undefined : DEVELOPMENT_OPERATOR_WEBHOOK_SECRET);
}

/** The configured base URL of an operator's reservation system; in development and tests the emulator's. */
export function operatorBaseUrl(code: string): string | undefined {
  return operatorEnv[code]?.url ?? (isProduction ? undefined : DEVELOPMENT_OPERATOR_URLS[code]);
}

/** Only the environment's own override (no development default): it wins over the operator's row. */
export function operatorUrlOverride(code: string): string | undefined {
  return operatorEnv[code]?.url;
}

/** The raw process environment, for scripts that spawn children with an extended environment. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
