import { z } from "zod";

/**
 * The only reader of process.env (DESIGN §7.5), shared by the app, the worker, scripts and tests.
 * Every variable is optional here because `npm run dev` fills in local stand-ins for whatever is
 * unset (DESIGN §6); code that needs a value in production asks through `required()`, which names
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

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
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
});

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parse(source: Record<string, string | undefined>): Env {
  // Empty strings come from `FOO=` lines in shells and .env files: treat them as unset.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env: Env = parse(process.env);

export const isProduction = env.NODE_ENV === "production";

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
 * without a real key because forged tickets would otherwise verify.
 */
export function ticketSigningKey(): string {
  if (env.TICKET_SIGNING_KEY) return env.TICKET_SIGNING_KEY;
  if (isProduction) required("TICKET_SIGNING_KEY", "Generate one with `openssl rand -hex 32`.");
  return "traverse-development-ticket-signing-key-not-for-production";
}

/**
 * Per-operator settings, read generically for any three-letter operator code: `OPERATOR_<CODE>_API_KEY`
 * (the key the operator issued to Traverse) and `OPERATOR_<CODE>_URL` (its reservation system's base URL,
 * overriding the operator's row, e.g. to point development at an emulator on another port).
 */
export interface OperatorEnv {
  apiKey?: string;
  url?: string;
}

const OPERATOR_VARIABLE = /^OPERATOR_([A-Z]{3})_(API_KEY|URL)$/;
const operatorUrl = url(["http:", "https:"]);

/** Exported for tests; the app reads the result through `operatorApiKey` and `operatorBaseUrl`. */
export function parseOperatorEnv(source: Record<string, string | undefined>): Record<string, OperatorEnv> {
  const out: Record<string, OperatorEnv> = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(source)) {
    const match = OPERATOR_VARIABLE.exec(name);
    const value = raw?.trim();
    if (!match || !value) continue;
    const [, code, what] = match as unknown as [string, string, "API_KEY" | "URL"];
    const entry = out[code] ?? {};
    out[code] = entry;
    if (what === "API_KEY") {
      entry.apiKey = value;
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

/** Where `npm run dev` and the tests run the operator emulators (emulators/operator). */
const DEVELOPMENT_OPERATOR_URLS: Record<string, string> = {
  GNV: "http://127.0.0.1:12401",
  GRM: "http://127.0.0.1:12402",
};
/** Accepted by the operator emulators (they take any non-empty key unless started with one). */
export const DEVELOPMENT_OPERATOR_API_KEY = "traverse-development-operator-key";

/**
 * The API key for a connected operator. Outside production a development key stands in, so a fresh clone
 * talks to the emulators; in production there is none unless configured, and the operator is then left
 * out of the directory (see `src/server/features/operators/directory.ts`).
 */
export function operatorApiKey(code: string): string | undefined {
  return operatorEnv[code]?.apiKey ?? (isProduction ? undefined : DEVELOPMENT_OPERATOR_API_KEY);
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
