import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./e2e/fixtures/stack";

/**
 * E2E runs against the production build (`npm run build` first), started with its worker and the
 * emulators on shifted ports so it can run beside `npm run dev`. The browser is Debian's Chromium:
 * Playwright cannot download its own here.
 */
export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: E2E.appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `npx tsx scripts/dev.ts --prod --port ${E2E.port} --port-offset ${E2E.portOffset} --database traverse_e2e_${E2E.portOffset} --reset`,
    url: `${E2E.appUrl}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    // Every browser of the run books from one address; the per-email limit keeps its production value.
    env: { BOOKING_CREATES_PER_CLIENT: "1000", BOOKING_HELD_PLACES_PER_CLIENT: "1000" },
  },
});
