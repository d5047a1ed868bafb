import { spawnSync } from "node:child_process";
import { UNITS } from "./mutation-units.mjs";

/**
 * `npm run test:mutation [-- <unit> …]`: one Stryker run per unit of stryker.config.mjs (it reads
 * MUTATION_UNIT), then docs/mutation-summary.json from all units' reports (scripts/mutation-summary.ts).
 * Exits non-zero when a Stryker run fails; the score itself is reported, not enforced.
 */
const ALL = Object.keys(UNITS);
const modules = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;
let failed = 0;
for (const m of modules) {
  if (!ALL.includes(m)) throw new Error(`unknown unit ${m}: one of ${ALL.join(", ")}`);
  console.log(`\n=== mutation testing: ${m}`);
  const r = spawnSync("npx", ["stryker", "run"], {
    stdio: "inherit",
    env: { ...process.env, MUTATION_UNIT: m },
  });
  if (r.status !== 0) failed++;
}
const summary = spawnSync("npx", ["tsx", "scripts/mutation-summary.ts"], { stdio: "inherit" });
process.exit(failed || summary.status ? 1 : 0);
