import type { RunMode } from "@/env";
import { describeError } from "@/server/lib/describe-error";

/**
 * The first thing `npm start` and `npm run worker` do. Everything is imported lazily on purpose: env.ts
 * refuses invalid values while it loads, and a refusal must reach the operator as a list of problems,
 * not as a stack trace from a failed import. Exits the process (code 1) when it must not start.
 */
export async function checkBeforeStart(who: string): Promise<RunMode> {
  try {
    const { startupProblems, refusalMessage } = await import("./startup-checks");
    const report = await startupProblems();
    if (report.problems.length > 0) {
      console.error(refusalMessage(who, report));
      process.exit(1);
    }
    return report.mode;
  } catch (e) {
    if (e instanceof Error && e.name === "ConfigError") {
      console.error(`${who}: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

/** Prints a configuration error as the sentence it is; anything else keeps its stack (it is a bug). */
export function exitOnStartError(who: string) {
  return (e: unknown): never => {
    if (e instanceof Error && e.name === "ConfigError") console.error(`${who}: ${e.message}`);
    // Not the error itself: a database error printed whole carries its query and parameters.
    else console.error(`${who}: fatal: ${describeError(e)}`);
    process.exit(1);
  };
}
