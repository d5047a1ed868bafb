import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Spread, spread } from "../../tests/support/stats";
import { type Check, exitCode, exitOptions, formatChecks, injectedFailure } from "./checks";

export { percentile, type Spread, spread } from "../../tests/support/stats";

/**
 * Figures of one measured repetition. Latencies in ms; CPU in core-milliseconds per operation, from the
 * processes' own counters (see bench/lib/cpu.ts).
 */
export interface Rep {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Completed requests per second. */
  rps: number | null;
  requests: number;
  /** Responses that are not what the scenario expects, timeouts and network errors. */
  errors: number;
  /** Open-loop only, when there were errors: what they were (`status 500`, `ECONNRESET`, …) and how many. */
  failures?: Record<string, number>;
  appCpuMsPerOp?: number | null;
  pgCpuMsPerOp?: number | null;
  /** Open-loop only: how late the generator sent requests against its schedule (p99, ms). */
  sendLagP99?: number;
}

export interface Row {
  scenario: string;
  /** open-loop: fixed arrival rate, latency from the scheduled send time; saturation: closed loop. */
  mode: "open-loop" | "saturation" | "sequence";
  /** "100 req/s", "10 connections", "20 payments/s" … */
  load: string;
  reps: Rep[];
  note?: string;
}

export function summarize(row: Row) {
  const of = (k: keyof Rep) => spread(row.reps.map((r) => r[k] as number | null | undefined));
  return {
    p50: of("p50"),
    p95: of("p95"),
    p99: of("p99"),
    rps: of("rps"),
    appCpuMsPerOp: of("appCpuMsPerOp"),
    pgCpuMsPerOp: of("pgCpuMsPerOp"),
    sendLagP99: of("sendLagP99"),
    requests: row.reps.reduce((s, r) => s + r.requests, 0),
    errors: row.reps.reduce((s, r) => s + r.errors, 0),
  };
}

/** "12.3 (11.0–14.1)": the median and the range over repetitions. */
export function fmtSpread(s: Spread | null, digits = 1): string {
  if (!s) return "–";
  const f = (v: number) => v.toFixed(digits);
  return s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

export interface RunInfo {
  /** `<UTC date>T<hhmm>-<commit>[-dirty]`: the folder under bench/results/ all files of one run share. */
  runId: string;
  commit: string;
  /** Uncommitted changes outside bench/results/ when the run started: the figures are not of `commit`. */
  dirty: boolean;
  startedAt: string;
  node: string;
  machine: { cpus: number; model: string; loadavgAtStart: number[] };
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** `--run=<id>` (set by bench/all.ts so one run's files share a folder), else a new id. */
export function runInfo(argv: string[] = process.argv): RunInfo {
  const commit = git(["rev-parse", "--short=12", "HEAD"]) || "unknown";
  const dirty = git(["status", "--porcelain", "--", ".", ":!bench/results"]) !== "";
  const now = new Date();
  const given = argv.find((a) => a.startsWith("--run="))?.slice("--run=".length);
  const stamp = now.toISOString().slice(0, 16).replace(/:/g, "");
  return {
    runId: given ?? `${stamp}-${commit}${dirty ? "-dirty" : ""}`,
    commit,
    dirty,
    startedAt: now.toISOString(),
    node: process.version,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "?", loadavgAtStart: os.loadavg() },
  };
}

export function printRows(title: string, rows: Row[]): void {
  const header = [
    "scenario",
    "mode",
    "load",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "req/s",
    "n",
    "err",
    "app core-ms/op",
  ];
  const lines = rows.map((r) => {
    const s = summarize(r);
    return [
      r.scenario,
      r.mode,
      r.load,
      fmtSpread(s.p50),
      fmtSpread(s.p95),
      fmtSpread(s.p99),
      fmtSpread(s.rps, 0),
      String(s.requests),
      String(s.errors),
      fmtSpread(s.appCpuMsPerOp, 2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const show = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(`\n${title}  (median over repetitions, range in brackets)`);
  console.log(show(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(show(l));
}

/** Runs a benchmark's `main` and exits with the code it returns (1 if it throws). */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/**
 * Prints the table and the checks, writes bench/results/<run>/<name>.json (rows with every repetition,
 * checks, settings, commit, machine) and returns the exit code the checks call for.
 */
export function finish(
  name: string,
  run: RunInfo,
  rows: Row[],
  checks: Check[],
  settings: Record<string, unknown>,
): 0 | 1 {
  const all = [...checks, ...injectedFailure()];
  const opts = exitOptions();
  printRows(name, rows);
  console.log(formatChecks(all, opts));
  const dir = path.join(process.cwd(), "bench", "results", run.runId);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const code = exitCode(all, opts);
  const body = {
    name,
    ...run,
    finishedAt: new Date().toISOString(),
    settings: { ...settings, strictGoals: opts.strictGoals },
    passed: code === 0,
    rows: rows.map((r) => ({ ...r, summary: summarize(r) })),
    checks: all,
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  console.log(`(written to ${path.relative(process.cwd(), file)})`);
  return code;
}
