import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Check, exitOptions, formatChecks } from "./lib/checks";
import { runInfo, runMain } from "./lib/report";
import { ensureBuild } from "./lib/stack";

/**
 * `npm run bench`: every benchmark in turn against the production build, each on a stack of its own
 * (started and stopped by the benchmark, so none inherits another's queue, caches or Resend window), all
 * writing into one folder bench/results/<date>T<time>-<commit>/, then a summary of every check. Exits 1 if
 * a benchmark failed to run or any outcome/validity check failed (goals too with `--strict-goals`).
 * `--quick` shortens everything (a smoke check of the harness; not for docs/performance.md).
 * `--docs` then renders docs/performance.md from this run (bench/render.ts).
 */
const quick = process.argv.includes("--quick");
const pass = process.argv.filter((a) => a === "--strict-goals" || a === "--inject-failure");
const run = runInfo();

const benches: {
  name: string;
  file: string;
  result: string;
  args: string[];
  env?: Record<string, string>;
}[] = [
  {
    name: "search",
    file: "bench/search.ts",
    result: "search",
    args: quick ? ["--duration=3", "--warmup=1"] : [],
  },
  {
    name: "booking",
    file: "bench/booking.ts",
    result: "booking",
    args: quick ? ["--duration=3", "--warmup=1", "--payments=20"] : [],
  },
  {
    name: "email",
    file: "bench/email.ts",
    result: "email",
    args: quick ? ["--emails=6", "--bookings=150", "--warmup=2"] : [],
    // Its worker runs in this process, not under `next start`: test mode, so it signs with a local key.
    env: { TRAVERSE_MODE: "test" },
  },
  {
    name: "operators",
    file: "bench/operators.ts",
    result: "operators",
    args: quick ? ["--days=4", "--hung=6"] : [],
  },
  {
    name: "mixed 1×1",
    file: "bench/mixed.ts",
    result: "mixed-1x1",
    args: quick ? ["--duration=8", "--warmup=2"] : [],
  },
  {
    name: "mixed 2×3 (scale-out)",
    file: "bench/mixed.ts",
    result: "mixed-2x3",
    args: ["--instances=2", "--workers=3", "--offset=750", ...(quick ? ["--duration=8", "--warmup=2"] : [])],
  },
];

async function main(): Promise<number> {
  await ensureBuild();
  const dir = path.join(process.cwd(), "bench", "results", run.runId);
  const checks: Check[] = [];
  const files: Record<string, string> = {};
  for (const b of benches) {
    console.log(`\n=== ${b.name}`);
    const res = spawnSync("npx", ["tsx", b.file, `--run=${run.runId}`, ...b.args, ...pass], {
      stdio: "inherit",
      env: { ...process.env, ...b.env },
    });
    const file = path.join(dir, `${b.result}.json`);
    if (!existsSync(file)) {
      checks.push({
        name: `${b.name}: ran to the end`,
        kind: "outcome",
        pass: false,
        value: `exit ${res.status}, no result file`,
        expected: "a result file",
      });
      continue;
    }
    files[b.name] = path.relative(process.cwd(), file);
    const data = JSON.parse(readFileSync(file, "utf8")) as { checks: Check[] };
    for (const c of data.checks) checks.push({ ...c, name: `${b.name}: ${c.name}` });
    if (res.status !== 0 && data.checks.every((c) => c.pass || c.kind === "goal"))
      checks.push({
        name: `${b.name}: exit code`,
        kind: "outcome",
        pass: false,
        value: res.status,
        expected: "0",
      });
  }
  const opts = exitOptions();
  console.log(formatChecks(checks, opts));
  const failed = checks.some((c) => !c.pass && (c.kind !== "goal" || opts.strictGoals));
  writeFileSync(
    path.join(dir, "run.json"),
    `${JSON.stringify({ ...run, quick, finishedAt: new Date().toISOString(), passed: !failed, files }, null, 2)}\n`,
  );
  if (process.argv.includes("--docs")) {
    const r = spawnSync("npx", ["tsx", "bench/render.ts", dir], { stdio: "inherit" });
    if (r.status !== 0) return 1;
  }
  return failed ? 1 : 0;
}

runMain(main);
