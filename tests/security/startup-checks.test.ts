import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { configProblems, DEVELOPMENT_OPERATOR_API_KEY, DEVELOPMENT_TICKET_SIGNING_KEY, runMode } from "@/env";
import { operators } from "@/server/db/schema/network";
import { DEV_ADMIN } from "@/server/features/security/dev-admin";
import { seedDatabase } from "@/server/seed/seed";
import { databaseProblems } from "@/server/features/security/startup-checks";
import { EMULATOR_SECRETS } from "@/shared/emulator-secrets";
import { createTestDb, type TestDb } from "../helpers/db";
import { withDatabase } from "../helpers/test-database-server";

/**
 * Production fails closed: `npm start` and `npm run worker` refuse, before anything else, every setting
 * that belongs to development. The rules are tested one by one through `configProblems` (what both
 * commands call first); then each command is spawned for real to show the refusal reaches the operator
 * as a list, with a non-zero exit and no stack trace, and that a clean configuration gets through.
 */

/** A production configuration with nothing wrong in it (none of these are real secrets). */
const GOOD: Record<string, string> = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://traverse@db.internal:5432/traverse",
  APP_URL: "https://traverse.example",
  STRIPE_SECRET_KEY: "sk_live_51NotARealKeyButShapedLikeOne",
  STRIPE_WEBHOOK_SECRET: "whsec_NotARealSigningSecret0123456789",
  RESEND_API_KEY: "re_NotARealKey_0123456789",
  TICKET_SIGNING_KEY: "3f6c0a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
  UPSTASH_REDIS_REST_URL: "https://eu1-able-cat-12345.upstash.io",
  UPSTASH_REDIS_REST_TOKEN: "AXk0AAIjcDEhNotARealToken",
};

const problemsWith = (changes: Record<string, string | undefined>) => configProblems({ ...GOOD, ...changes });

describe("which mode we run in", () => {
  it("is production unless NODE_ENV says development or test; TRAVERSE_MODE (set by npm start) wins", () => {
    expect(runMode({ NODE_ENV: undefined })).toBe("production");
    expect(runMode({ NODE_ENV: "production" })).toBe("production");
    expect(runMode({ NODE_ENV: "staging" })).toBe("production");
    expect(runMode({ NODE_ENV: "development" })).toBe("development");
    expect(runMode({ NODE_ENV: "test" })).toBe("test");
    // Inside `next start`, NODE_ENV is always production: the operator's choice arrives as TRAVERSE_MODE.
    expect(runMode({ NODE_ENV: "production", TRAVERSE_MODE: "test" })).toBe("test");
  });
});

describe("configProblems in production", () => {
  it("finds nothing wrong with a clean production configuration (so the refusals below are about one thing)", () => {
    expect(configProblems(GOOD)).toEqual([]);
    // Without NODE_ENV at all, the same configuration is judged as production, and passes.
    expect(problemsWith({ NODE_ENV: undefined })).toEqual([]);
  });

  /** A row refusing `variable` set to one of the local emulators' secrets. */
  const emulatorSecret = (name: string, variable: string, value: string) =>
    [name, { [variable]: value }, `${variable} is a local emulator's secret`] as [
      string,
      Record<string, string | undefined>,
      string,
    ];
  it.each([
    ["TICKET_SIGNING_KEY missing", { TICKET_SIGNING_KEY: undefined }, "TICKET_SIGNING_KEY is not set"],
    [
      "TICKET_SIGNING_KEY equal to the development key",
      { TICKET_SIGNING_KEY: DEVELOPMENT_TICKET_SIGNING_KEY },
      "TICKET_SIGNING_KEY is the public development key",
    ],
    emulatorSecret("the local Stripe emulator's key", "STRIPE_SECRET_KEY", EMULATOR_SECRETS.local.stripeKey),
    emulatorSecret("the fault stack's Stripe key", "STRIPE_SECRET_KEY", EMULATOR_SECRETS.faults.stripeKey),
    emulatorSecret(
      "the emulator's webhook secret",
      "STRIPE_WEBHOOK_SECRET",
      EMULATOR_SECRETS.local.webhookSecret,
    ),
    emulatorSecret("the Resend emulator's key", "RESEND_API_KEY", EMULATOR_SECRETS.local.resendKey),
    emulatorSecret("a new secret carrying the emulator marker", "RESEND_API_KEY", "re_emulator_bench_2"),
    emulatorSecret(
      "a retired emulator secret from an old .env",
      "STRIPE_SECRET_KEY",
      EMULATOR_SECRETS.retired.faultsStripeKey,
    ),
    [
      "STRIPE_API_BASE set",
      { STRIPE_API_BASE: "http://127.0.0.1:12111" },
      "STRIPE_API_BASE is set: it sends the app to an emulator",
    ],
    [
      "RESEND_BASE_URL set",
      { RESEND_BASE_URL: "http://127.0.0.1:8025" },
      "RESEND_BASE_URL is set: it sends the app to an emulator",
    ],
    [
      "the Upstash emulator's address",
      { UPSTASH_REDIS_REST_URL: "http://localhost:8079" },
      "UPSTASH_REDIS_REST_URL points at the local Upstash emulator",
    ],
    emulatorSecret(
      "the Upstash emulator's token",
      "UPSTASH_REDIS_REST_TOKEN",
      EMULATOR_SECRETS.local.upstashToken,
    ),
    [
      "an Upstash URL without its token",
      { UPSTASH_REDIS_REST_TOKEN: undefined },
      "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together",
    ],
    ["DATABASE_URL missing", { DATABASE_URL: undefined }, "DATABASE_URL is not set"],
    ["APP_URL missing", { APP_URL: undefined }, "APP_URL is not set"],
    ["APP_URL over plain http", { APP_URL: "http://traverse.example" }, "APP_URL must start with https://"],
    ["STRIPE_SECRET_KEY missing", { STRIPE_SECRET_KEY: undefined }, "STRIPE_SECRET_KEY is not set"],
    [
      "STRIPE_WEBHOOK_SECRET missing",
      { STRIPE_WEBHOOK_SECRET: undefined },
      "STRIPE_WEBHOOK_SECRET is not set",
    ],
    ["RESEND_API_KEY missing", { RESEND_API_KEY: undefined }, "RESEND_API_KEY is not set"],
    [
      "a connected operator's URL on the local GNV emulator",
      { OPERATOR_GNV_URL: "http://127.0.0.1:12401" },
      "OPERATOR_GNV_URL points at a local operator emulator (127.0.0.1:12401)",
    ],
    [
      "a connected operator's URL on the GRM emulator's port, by name",
      { OPERATOR_GRM_URL: "http://localhost:12402/" },
      "OPERATOR_GRM_URL points at a local operator emulator (localhost:12402)",
    ],
    [
      "an operator API key that is the development key",
      { OPERATOR_GNV_API_KEY: DEVELOPMENT_OPERATOR_API_KEY },
      "OPERATOR_GNV_API_KEY is the development key",
    ],
    [
      "an operator API key carrying the emulator marker",
      { OPERATOR_GRM_API_KEY: "grm-emulator-key-0001" },
      "OPERATOR_GRM_API_KEY is the development key",
    ],
  ])("refuses %s, naming the variable", (_label, change, message) => {
    const problems = problemsWith(change);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
    // Never the value itself: it may be a real secret.
    for (const v of Object.values(change)) if (v && v.length > 12) expect(problems[0]).not.toContain(v);
  });

  it("accepts real operators' addresses and keys (so the operator refusals above are about the emulator)", () => {
    expect(
      problemsWith({
        OPERATOR_GNV_URL: "https://ferrygateway.gnv.example",
        OPERATOR_GNV_API_KEY: "gnv-live-0f3c9a7b51d2",
        OPERATOR_GRM_URL: "https://api.grimaldi.example:12401",
        OPERATOR_GRM_API_KEY: "grm-live-7a2b",
      }),
    ).toEqual([]);
  });

  it("lists every problem at once, invalid values included", () => {
    const problems = problemsWith({
      TICKET_SIGNING_KEY: undefined,
      STRIPE_SECRET_KEY: "pk_live_wrong_kind_of_key",
      STRIPE_API_BASE: "http://127.0.0.1:12111",
      RESEND_API_KEY: EMULATOR_SECRETS.local.resendKey,
    });
    expect(problems).toEqual([
      "STRIPE_SECRET_KEY: must start with sk_",
      expect.stringContaining("TICKET_SIGNING_KEY is not set"),
      expect.stringContaining("RESEND_API_KEY is a local emulator's secret"),
      expect.stringContaining("STRIPE_API_BASE is set"),
    ]);
  });

  it("leaves development and test stacks alone: emulators are what they run on", () => {
    const local = {
      DATABASE_URL: GOOD.DATABASE_URL,
      STRIPE_SECRET_KEY: EMULATOR_SECRETS.local.stripeKey,
      STRIPE_API_BASE: "http://127.0.0.1:12111",
      RESEND_API_KEY: EMULATOR_SECRETS.local.resendKey,
      RESEND_BASE_URL: "http://127.0.0.1:8025",
    };
    expect(configProblems({ ...local, NODE_ENV: "development" })).toEqual([]);
    expect(configProblems({ ...local, NODE_ENV: "test" })).toEqual([]);
    expect(configProblems({ ...local, NODE_ENV: "production", TRAVERSE_MODE: "test" })).toEqual([]);
    // The same stack without a mode is production, and refused.
    expect(configProblems(local).length).toBeGreaterThanOrEqual(4);
  });
});

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.destroy());

describe("databaseProblems", () => {
  it("refuses the development admin account, and nothing else in a seeded database", async () => {
    const sql = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      expect(await databaseProblems(sql)).toEqual([]);
      // Seeded as production would be: the connected operators at their real addresses.
      await seedDatabase(t.db, {
        days: 1,
        devAdmin: DEV_ADMIN,
        operatorUrl: (code) => `https://${code.toLowerCase()}.operators.example`,
      });
      const problems = await databaseProblems(sql);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`The development admin account (${DEV_ADMIN.email}`);
      expect(problems[0]).toContain("delete from admin_users");
      await sql`delete from admin_users where email = ${DEV_ADMIN.email}`;
      expect(await databaseProblems(sql)).toEqual([]);
    } finally {
      await sql.end();
    }
  });
});

describe("databaseProblems: connected operators", () => {
  it("refuses a connected operator whose row points at a local emulator, unless OPERATOR_<CODE>_URL overrides it", async () => {
    const sql = postgres(t.url, { max: 1, onnotice: () => {} });
    const none = () => undefined;
    const real = await t.db.select().from(operators).where(eq(operators.code, "GNV"));
    try {
      await t.db
        .update(operators)
        .set({ baseUrl: "http://127.0.0.1:12401", enabled: false })
        .where(eq(operators.code, "GNV"));
      const problems = (await databaseProblems(sql, none)).filter((p) => p.startsWith("Operator "));
      // Disabled or not: an admin can enable it without a restart.
      expect(problems).toEqual([
        expect.stringContaining(
          "Operator GNV's base URL in the database points at a local operator emulator (127.0.0.1:12401): set OPERATOR_GNV_URL",
        ),
      ]);
      // The environment's URL wins over the row, so the row is never called.
      const overridden = await databaseProblems(sql, (c) =>
        c === "GNV" ? "https://ferrygateway.gnv.example" : undefined,
      );
      expect(overridden.filter((p) => p.startsWith("Operator "))).toEqual([]);
      // Own operators have no URL to call.
      await t.db
        .update(operators)
        .set({ kind: "own", baseUrl: "http://127.0.0.1:12401" })
        .where(eq(operators.code, "GNV"));
      expect((await databaseProblems(sql, none)).filter((p) => p.startsWith("Operator "))).toEqual([]);
    } finally {
      await t.db
        .update(operators)
        .set({ kind: real[0]!.kind, baseUrl: real[0]!.baseUrl, enabled: real[0]!.enabled })
        .where(eq(operators.code, "GNV"));
      await sql.end();
    }
  });
});

// ——— the real commands, spawned ———

const NODE_BIN = process.execPath.replace(/\/node$/, "");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm <args>` in a bare environment (nothing inherited but PATH), until it exits or `until` matches. */
function npm(args: string[], vars: Record<string, string | undefined>, until?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, {
      cwd: process.cwd(),
      env: {
        PATH: `${NODE_BIN}:${process.env.PATH}`,
        HOME: process.env.HOME,
        ...vars,
      } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`npm ${args.join(" ")} did not finish in 60 s:\n${stdout}\n${stderr}`));
    }, 60_000);
    const stop = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
    };
    const check = () => {
      if (until?.test(stdout)) stop();
    };
    child.stdout.on("data", (d) => {
      stdout += d;
      check();
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** An empty database (no tables at all), to show the checks run before migrations. */
async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const { adminUrl } = inject("testDatabase");
  const name = `traverse_t_empty_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

async function tableCount(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [r] = await sql<
      { n: number }[]
    >`select count(*)::int as n from pg_tables where schemaname = 'public'`;
    return r!.n;
  } finally {
    await sql.end();
  }
}

describe.each([
  ["npm start", ["start"], "app"],
  ["npm run worker", ["run", "worker"], "worker"],
])("%s", (_label, args, who) => {
  it("without NODE_ENV, refuses a local stack's settings: every problem listed, exit 1, no stack trace, no migration", async () => {
    const db = await emptyDatabase();
    try {
      const run = await npm(args, {
        DATABASE_URL: db.url,
        STRIPE_SECRET_KEY: EMULATOR_SECRETS.local.stripeKey,
        STRIPE_API_BASE: "http://127.0.0.1:12111",
        RESEND_API_KEY: EMULATOR_SECRETS.local.resendKey,
        OPERATOR_GNV_URL: "http://127.0.0.1:12401",
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${who}: refusing to start in production mode`);
      for (const v of [
        "TICKET_SIGNING_KEY",
        "STRIPE_SECRET_KEY",
        "STRIPE_API_BASE",
        "RESEND_API_KEY",
        "APP_URL",
        "OPERATOR_GNV_URL",
      ]) {
        expect(run.stderr).toContain(`  - ${v}`);
      }
      expect(run.stderr).not.toMatch(/^\s+at /m);
      // Refused before migrations: the empty database is still empty.
      expect(await tableCount(db.url)).toBe(0);
    } finally {
      await db.drop();
    }
  }, 90_000);

  it("refuses to run beside the development admin account (checked right after connecting)", async () => {
    const sql = postgres(t.url, { max: 1, onnotice: () => {} });
    await sql`insert into admin_users (email, password_hash) values (${DEV_ADMIN.email}, 'x') on conflict do nothing`;
    await sql.end();
    const run = await npm(args, { ...GOOD, DATABASE_URL: t.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`The development admin account (${DEV_ADMIN.email}`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 90_000);

  it("reports an invalid value the same way, without a stack trace", async () => {
    const run = await npm(args, { ...GOOD, STRIPE_SECRET_KEY: "pk_live_publishable_not_secret" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("STRIPE_SECRET_KEY: must start with sk_");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 90_000);
});

describe("npm start with a clean production configuration", () => {
  it("gets past the checks and the migrations, then hands over to Next.js", async () => {
    const db = await emptyDatabase();
    try {
      const run = await npm(
        ["start", "--", "-p", "0", "-H", "127.0.0.1"],
        { ...GOOD, DATABASE_URL: db.url },
        /starting Next\.js/,
      );
      expect(run.stdout).toContain(
        "app: production mode; start-up checks passed, migrations applied; starting Next.js",
      );
      expect(run.stderr).not.toContain("refusing to start");
      expect(await tableCount(db.url)).toBeGreaterThan(10);
    } finally {
      await db.drop();
    }
  }, 90_000);
});
