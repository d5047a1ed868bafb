import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { checkBeforeStart, exitOnStartError } from "../src/server/features/security/safe-start";

/**
 * `npm start [-- <next start arguments>]`: the production app. In order: the start-up checks (before
 * anything else; see server/features/security/startup-checks.ts), the database migrations, then
 * `next start` with the same arguments. Next forces NODE_ENV=production inside its process, so the mode
 * chosen here (from NODE_ENV: production unless it says development or test) travels as TRAVERSE_MODE,
 * which env.ts reads first. Signals are forwarded and Next's exit code becomes ours.
 */
async function main(): Promise<void> {
  const mode = await checkBeforeStart("app");
  const { childEnv, required } = await import("../src/env");
  const { migrateDatabase } = await import("../src/server/db/migrate");
  await migrateDatabase(required("DATABASE_URL", "It must point at PostgreSQL 15 or newer."));
  console.log(`app: ${mode} mode; start-up checks passed, migrations applied; starting Next.js`);

  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const child = spawn(process.execPath, [nextBin, "start", ...process.argv.slice(2)], {
    env: childEnv({ TRAVERSE_MODE: mode }),
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on("exit", (code, signal) => {
    // A child killed by a signal exits like a shell reports it: 128 + the signal's number.
    const signalCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
    process.exit(code ?? (signal ? (signalCodes[signal] ?? 1) : 1));
  });
  child.on("error", exitOnStartError("app"));
}

main().catch(exitOnStartError("app"));
