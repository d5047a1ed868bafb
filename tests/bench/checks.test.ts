import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  exitCode,
  formatChecks,
  goal,
  injectedFailure,
  outcome,
  outcomeEquals,
  validity,
} from "../../bench/lib/checks";
import { spread } from "../../bench/lib/report";

/**
 * The benchmarks' exit path: a failed outcome or validity check must make the command exit non-zero, a
 * missed speed goal only with --strict-goals. Checked on the helper and end to end in a child process that
 * goes through `finish` exactly like a benchmark does.
 */
const lenient = { strictGoals: false };
const strict = { strictGoals: true };

describe("exitCode", () => {
  it("is 0 when every check passes", () => {
    expect(
      exitCode(
        [outcomeEquals("oversold", 0, 0), validity("lag", 3, "≤ 25", true), goal("p50", 1, "≤ 2", true)],
        lenient,
      ),
    ).toBe(0);
  });

  it("is 1 when an outcome or a validity check fails, with or without --strict-goals", () => {
    expect(exitCode([outcomeEquals("confirmed", 199, 200)], lenient)).toBe(1);
    expect(exitCode([validity("generator on time", 80, "≤ 25", false)], lenient)).toBe(1);
    expect(exitCode([outcome("emails", "1 lost", "none", false)], strict)).toBe(1);
  });

  it("ignores a missed goal unless goals are strict", () => {
    const checks = [outcomeEquals("oversold", 0, 0), goal("cpu", 14, "≤ 10", false)];
    expect(exitCode(checks, lenient)).toBe(0);
    expect(exitCode(checks, strict)).toBe(1);
    expect(formatChecks(checks, lenient)).toMatch(/MISS {2}\[goal\] cpu: 14 \(want ≤ 10\)/);
    expect(formatChecks(checks, strict)).toMatch(/FAIL {2}\[goal\] cpu/);
  });

  it("compares structured values exactly", () => {
    expect(outcomeEquals("race", [10, 190, 0], [10, 190, 0]).pass).toBe(true);
    expect(outcomeEquals("race", [11, 189, 0], [10, 190, 0]).pass).toBe(false);
  });

  it("--inject-failure adds one failing outcome check", () => {
    expect(injectedFailure(["node", "bench.ts"])).toEqual([]);
    const [c] = injectedFailure(["node", "bench.ts", "--inject-failure"]);
    expect(c).toMatchObject({ kind: "outcome", pass: false });
  });
});

describe("spread", () => {
  it("gives min, median and max over repetitions, leaving out missing figures", () => {
    expect(spread([30, 10, 20])).toEqual({ min: 10, median: 20, max: 30 });
    expect(spread([4, null, 2, 8, 6])).toEqual({ min: 2, median: 5, max: 8 });
    expect(spread([null, undefined])).toBeNull();
  });
});

describe("a benchmark's exit code, end to end", () => {
  const script = (checks: string) => `
    import { finish, runInfo } from "${path.join(process.cwd(), "bench/lib/report.ts")}";
    import { goal, outcomeEquals } from "${path.join(process.cwd(), "bench/lib/checks.ts")}";
    const rows = [{ scenario: "probe", mode: "sequence", load: "-", reps: [{ p50: 1, p95: 2, p99: 3, rps: null, requests: 1, errors: 0 }] }];
    process.exit(finish("probe", runInfo(), rows, [${checks}], {}));
  `;
  const run = (checks: string, flags: string[] = []) => {
    const runId = `test-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const dir = mkdtempSync(path.join(tmpdir(), "bench-exit-"));
    const file = path.join(dir, "probe.ts");
    writeFileSync(file, script(checks));
    const r = spawnSync(process.execPath, ["--import", "tsx", file, `--run=${runId}`, ...flags], {
      cwd: process.cwd(),
      encoding: "utf8",
    });
    rmSync(dir, { recursive: true, force: true });
    const resultDir = path.join(process.cwd(), "bench", "results", runId);
    const result = JSON.parse(readFileSync(path.join(resultDir, "probe.json"), "utf8")) as {
      passed: boolean;
    };
    rmSync(resultDir, { recursive: true, force: true });
    return { status: r.status, output: `${r.stdout}${r.stderr}`, passed: result.passed };
  };

  it("exits 0 when the checks pass and 1 when an outcome fails", () => {
    expect(run(`outcomeEquals("ok", 0, 0)`)).toMatchObject({ status: 0, passed: true });
    const failed = run(`outcomeEquals("paid but not confirmed", 3, 0)`);
    expect(failed).toMatchObject({ status: 1, passed: false });
    expect(failed.output).toMatch(/FAIL {2}\[outcome\] paid but not confirmed: 3 \(want = 0\)/);
  });

  it("exits 1 with --inject-failure, and for a missed goal only with --strict-goals", () => {
    expect(run(`outcomeEquals("ok", 0, 0)`, ["--inject-failure"])).toMatchObject({
      status: 1,
      passed: false,
    });
    expect(run(`goal("cpu", 12, "≤ 10", false)`)).toMatchObject({ status: 0, passed: true });
    expect(run(`goal("cpu", 12, "≤ 10", false)`, ["--strict-goals"])).toMatchObject({
      status: 1,
      passed: false,
    });
  });
});
