// @ts-check
/**
 * Mutation testing (`npm run test:mutation`, driven by scripts/mutation.ts): Stryker changes one operator,
 * condition or literal at a time in the files below and runs the vitest tests that reached it; a mutant
 * no test notices ("survived") is a bug the suite would let through. See docs/testing.md for the scores.
 *
 * One Stryker run per unit (MUTATION_UNIT), each a few source files against the test files written for
 * them. A mutant runs every test that reached it, and each test file builds its own seeded database and
 * emulators first: against the whole suite a surviving booking mutant costs dozens of such set-ups, which
 * a 2-core machine cannot afford for ~1,500 mutants. So each score is what the unit's own tests catch — a
 * lower bound for the whole suite. Each unit keeps its own incremental file and report.
 *
 * @type {Record<string, { mutate: string[]; testFiles: string[] }>}
 */
export const UNITS = {
  "payments-refunds": {
    mutate: ["src/server/features/payments/{refunds,admin-refund}.ts"],
    testFiles: [
      "tests/booking/{refund-steps,admin-refund,stripe-events}.test.ts",
      "tests/admin/bookings.test.ts",
    ],
  },
  "booking-inventory": {
    mutate: ["src/server/features/booking/{inventory,late-payment,cache-effects}.ts"],
    testFiles: [
      "tests/booking/{inventory-moves,late-payment,hold-order}.test.ts",
      "tests/cache/invalidation-{booking,connected}.test.ts",
    ],
  },
  "booking-lifecycle": {
    mutate: ["src/server/features/booking/{lifecycle,payment-events}.ts"],
    testFiles: [
      "tests/booking/{lifecycle-edges,amount-check,inventory-moves,operator-after-payment}.test.ts",
      "tests/cache/invalidation-booking.test.ts",
      "tests/observability/metrics.test.ts",
    ],
  },
  cache: {
    mutate: ["src/server/features/cache/**/*.ts"],
    // The read-through path (readWith, related entries, priming) is exercised by search and the
    // invalidation tests, not by the cache's own files.
    testFiles: [
      "tests/cache/{breaker,read-through,read-with,cache-parts,admin-panel,ttl-and-isolation}.test.ts",
      "tests/cache/invalidation-{booking,pricing}.test.ts",
      "tests/search/{search,connected,cache-restart}.test.ts",
    ],
  },
  "payments-events": {
    mutate: ["src/server/features/payments/{events,webhook,expire-session}.ts"],
    // The webhook's refusals, job options and trace, and each expiry call, are pinned in stripe-webhook.
    testFiles: ["tests/booking/{stripe-webhook,stripe-events,payments,checkout}.test.ts"],
  },
  "booking-cancel": {
    mutate: ["src/server/features/booking/{cancel,admin-cancel,policy}.ts"],
    // Traveller and admin cancels, a sailing cancelled by us or by a connected operator, and the
    // operators' charge each have their own file.
    testFiles: [
      "tests/booking/{cancel-rules,manage,operator-after-payment}.test.ts",
      "tests/admin/cancel-sailing.test.ts",
      "tests/cache/invalidation-admin-booking.test.ts",
      "tests/search/operator-changes.test.ts",
      "tests/unit/refund-policy.test.ts",
    ],
  },
  "payments-checkout": {
    mutate: ["src/server/features/payments/{checkout,stripe-client}.ts"],
    testFiles: ["tests/booking/{checkout,checkout-params,stripe-slow}.test.ts"],
  },
  "booking-create": {
    mutate: ["src/server/features/booking/{create,insert-booking}.ts"],
    // Idempotency, limits, fares, connected legs and the Stripe step each have their own file.
    testFiles: [
      "tests/booking/{create-edges,inventory-moves,fair-use,fare-race,operator-booking,price-line-kind}.test.ts",
      "tests/booking/{checkout,checkout-params,stripe-slow}.test.ts",
    ],
  },
};
