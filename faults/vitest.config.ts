import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:faults`: each scenario starts a whole stack of separate processes
 * (PostgreSQL, Redis, the emulators, `next start`, the worker), breaks one part and checks what users
 * would see and what ends up in the database. Kept out of `npm test` because it takes minutes; files run
 * one after another because a 2-core machine cannot hold two stacks under load.
 */
export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("../src", import.meta.url)) },
  },
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["faults/**/*.fault.ts"],
    globalSetup: ["./faults/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    pool: "forks",
    // Fault tests are slow and stateful: a retry would hide exactly the flakiness they exist to find.
    retry: 0,
    env: { TZ: "Asia/Kathmandu" },
  },
});
