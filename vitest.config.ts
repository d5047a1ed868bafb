import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  test: {
    // Playwright specs live in e2e/ and must never be picked up by vitest.
    include: ["src/**/*.test.ts", "worker/**/*.test.ts", "emulators/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["node_modules", "e2e/**", ".next/**"],
    globalSetup: ["./tests/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Time-zone hostile on purpose (DESIGN §7.8): UTC bugs show up at +05:45.
    env: { TZ: "Asia/Kathmandu" },
    pool: "forks",
    // next-intl's ESM build imports `next/server` without an extension, which Node's resolver refuses;
    // transformed by Vite it resolves (tests/security/headers.test.ts runs src/proxy.ts).
    server: { deps: { inline: ["next-intl"] } },
  },
});
