// @ts-check
import { UNITS } from "./scripts/mutation-units.mjs";

/** Mutation testing, one unit per run: see scripts/mutation-units.mjs and docs/testing.md. */
const name = process.env.MUTATION_UNIT ?? "";
const mod = UNITS[/** @type {keyof typeof UNITS} */ (name)];
if (!mod) throw new Error(`MUTATION_UNIT must be one of ${Object.keys(UNITS).join(", ")}; got "${name}"`);
const dir = `reports/mutation/${name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", pool: "forks", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: mod.mutate,
  testFiles: mod.testFiles,
  // Only the tests that executed a mutant run against it (the dry run records which test reaches which).
  coverageAnalysis: "perTest",
  // Mutants in module-level code (zod schemas, constant tables) run before any test, so every test file
  // would have to run for each of them; they are reported as ignored, not counted as killed or survived.
  ignoreStatic: true,
  // The machine is shared and the tests use real Postgres, Redis and emulators: two workers at most.
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 20,
  // Results are kept per mutant and reused while neither the mutated code nor its tests change.
  incremental: true,
  incrementalFile: `${dir}/stryker-incremental.json`,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: `${dir}/mutation.json` },
  htmlReporter: { fileName: `${dir}/mutation.html` },
  // One sandbox folder per unit: `cleanTempDir` removes it, and two units may run at once.
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: "always",
  ignorePatterns: [
    // Every unit's sandbox, not only this one's (units may run side by side).
    ".stryker-tmp",
    ".next",
    ".data",
    "reports",
    "test-results",
    "playwright-report",
    "bench/results",
    ".ci/node",
  ],
  thresholds: { high: 90, low: 80, break: null },
};
