// @ts-check
/**
 * Mutation testing (`npm run test:mutation`, driven by scripts/mutation.ts): Stryker changes one operator,
 * condition or literal at a time in the modules below and runs the vitest tests that reached it; a mutant
 * no test notices ("survived") is a bug the suite would let through. See docs/testing.md for the scores.
 *
 * One module per Stryker run (MUTATION_MODULE=cache|booking|payments), each with the test files whose
 * subject it is: every test file a mutant's tests live in costs a fresh database and seed on each run, so
 * a module is tested against its own files only, and each run keeps its own incremental file and report.
 *
 * @type {Record<string, { mutate: string[]; testFiles: string[] }>}
 */
const MODULES = {
  cache: {
    mutate: ["src/server/features/cache/**/*.ts"],
    testFiles: [
      "tests/cache/*.test.ts",
      "tests/search/*.test.ts",
      "tests/admin/{operations,pricing,schedule}.test.ts",
    ],
  },
  booking: {
    mutate: [
      "src/server/features/booking/{inventory,create,lifecycle,cancel,late-payment,payment-events,admin-cancel,policy,cache-effects}.ts",
    ],
    testFiles: [
      "tests/booking/{inventory-moves,lifecycle-edges,manage,payments,late-payment,amount-check,refund-races}.test.ts",
      "tests/cache/invalidation-{booking,admin-booking}.test.ts",
      "tests/admin/{bookings,cancel-sailing}.test.ts",
      "tests/unit/refund-policy.test.ts",
    ],
  },
  payments: {
    mutate: ["src/server/features/payments/**/*.ts"],
    testFiles: [
      "tests/booking/{stripe-events,refund-steps,checkout,payments,refund-races,amount-check,stripe-slow,manage}.test.ts",
      "tests/admin/bookings.test.ts",
    ],
  },
};
const name = process.env.MUTATION_MODULE ?? "";
const mod = MODULES[name];
if (!mod) throw new Error(`MUTATION_MODULE must be one of ${Object.keys(MODULES).join(", ")}; got "${name}"`);
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
