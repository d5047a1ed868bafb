import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { report, type Row } from "./lib/report";
import { ensureBuild } from "./lib/stack";

/**
 * `npm run bench`: every benchmark in turn against the production build (each starts and stops its own
 * stack), then one table of all the figures and the outcome checks, also written to bench/results/all.json.
 * `--quick` shortens the mixed runs (for a smoke check; the documented figures use the full 60 s).
 */
const quick = process.argv.includes("--quick");
const mixedDuration = quick ? 15 : 60;

const runs: { name: string; args: string[]; result: string }[] = [
  { name: "search", args: ["bench/search.ts"], result: "search.json" },
  { name: "booking", args: ["bench/booking.ts"], result: "booking.json" },
  { name: "email", args: ["bench/email.ts"], result: "bench-email.json" },
  { name: "mixed 1×1", args: ["bench/mixed.ts", `--duration=${mixedDuration}`], result: "mixed-1x1.json" },
  {
    name: "mixed 2×3 (scale-out)",
    args: ["bench/mixed.ts", "--instances=2", "--workers=3", `--duration=${mixedDuration}`, "--offset=1200"],
    result: "mixed-2x3.json",
  },
];

async function main() {
  await ensureBuild();
  const rows: Row[] = [];
  const checks: Record<string, unknown> = {};
  let failed = 0;
  for (const r of runs) {
    console.log(`\n=== ${r.name}`);
    const res = spawnSync("npx", ["tsx", ...r.args], { stdio: "inherit" });
    const file = path.join(process.cwd(), "bench", "results", r.result);
    if (res.status !== 0 || !existsSync(file)) {
      failed++;
      checks[`${r.name}`] = "FAILED to run";
      continue;
    }
    const data = JSON.parse(readFileSync(file, "utf8")) as { rows: Row[]; checks: Record<string, unknown> };
    rows.push(...data.rows);
    for (const [k, v] of Object.entries(data.checks)) checks[`${r.name}: ${k}`] = v;
  }
  report("all", rows, checks);
  process.exit(failed ? 1 : 0);
}

void main();
