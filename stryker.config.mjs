// @ts-check
/**
 * Mutation testing (`npm run test:mutation`): Stryker changes one operator, condition or literal at a time
 * in the modules below and runs the vitest tests that reach it; a mutant no test notices ("survived") is
 * a bug the suite would let through. See docs/testing.md for the scores and what survives.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", pool: "forks", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "src/server/features/cache/**/*.ts",
    "src/server/features/booking/{inventory,create,lifecycle,cancel,late-payment,payment-events,admin-cancel,policy,cache-effects}.ts",
    "src/server/features/payments/**/*.ts",
  ],
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
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  ignorePatterns: [
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
