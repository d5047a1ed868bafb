import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The pure unit tests alone, with no database and no Redis: `npx vitest run --config tests/unit/vitest.config.ts`.
 * (`npx vitest run` runs them too, with everything else.) Same time-zone-hostile TZ as the main config.
 */
export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("../../src", import.meta.url)) },
  },
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["tests/unit/**/*.test.ts"],
    env: { TZ: "Asia/Kathmandu" },
  },
});
