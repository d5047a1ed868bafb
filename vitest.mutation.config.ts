import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The vitest run behind `npm run test:mutation` (stryker.config.mjs): the files whose subject is the mutated
 * modules (cache, booking, payments), all in-process. Left out: files that only use bookings as fixtures
 * (email, check-in): a surviving mutant runs every test that reached it, each file paying its own seeded
 * database, so every file here costs minutes over a whole run. Also out: the fuzz tests (random inputs
 * make a verdict change between runs) and the benchmark checks. Each Stryker
 * worker runs its own vitest, so tests/global-setup.ts gives each worker its own template database and
 * Redis key prefix (a random run id), and every test file clones a database of its own from it.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      // One worker process for every file of a run, its imports kept between runs: Stryker runs the
      // tests of each mutant again, and a fresh process per file would pay the imports every time.
      // The files do not share state (each builds its own database, cache namespace and emulators).
      isolate: false,
      include: [
        "tests/booking/**/*.test.ts",
        "tests/cache/**/*.test.ts",
        "tests/search/**/*.test.ts",
        "tests/admin/{bookings,cancel-sailing,pricing,schedule,operations}.test.ts",
        "tests/unit/refund-policy.test.ts",
      ],
    },
  }),
);
