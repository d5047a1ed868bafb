import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

/**
 * `npm test`: everything a change must pass, in the order that fails fastest — types, lint (with the size
 * rule), unit and integration tests (vitest, real Postgres), then the production build and the Playwright
 * suite in Debian's Chromium. `--skip-e2e` for a quick local loop.
 */
const { values } = parseArgs({ options: { "skip-e2e": { type: "boolean", default: false } } });

const steps: [string, string[]][] = [
  ["typecheck", ["npx", "tsc", "--noEmit"]],
  ["lint", ["npx", "biome", "lint", "."]],
  // No file over 400 lines, no React component over 300 (scripts/check-sizes.ts).
  ["lint: sizes", ["npx", "tsx", "scripts/check-sizes.ts"]],
  ["unit + integration", ["npx", "vitest", "run"]],
];
if (!values["skip-e2e"]) {
  steps.push(["build", ["npx", "next", "build"]]);
  steps.push(["e2e", ["npx", "playwright", "test"]]);
}

const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const [name, [cmd, ...argv]] of steps) {
  console.log(`\n=== ${name}: ${[cmd, ...argv].join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd as string, argv, {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: Math.round((Date.now() - started) / 100) / 10 });
  if (!ok) break;
}
console.log("\n=== summary");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
const passed = results.length - failed;
console.log(`steps: ${passed} passed, ${failed} failed`);
process.exit(failed || results.length < steps.length ? 1 : 0);
