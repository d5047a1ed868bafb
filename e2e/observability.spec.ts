import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./fixtures/admin";
import { E2E } from "./fixtures/stack";
import { expectNoSeriousAxeViolations, trpcCall } from "./fixtures/traveller";

/**
 * Watching the running production build: every response carries an x-request-id, the app and the worker
 * serve Prometheus text (the e2e stack runs in test mode, so loopback needs no token), and the admin
 * Operations page shows both delays against their promises, accessibly.
 */

test("pages and API answers carry a request id of their own", async ({ request }) => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const health = await request.get("/api/health", { headers: { "x-request-id": "chosen-by-the-client" } });
  const page = await request.get("/en");
  const ids = [health, page].map((r) => r.headers()["x-request-id"] ?? "");
  for (const id of ids) expect(id).toMatch(uuid);
  expect(ids[0]).not.toBe(ids[1]);
});

test("the app and the worker serve Prometheus text", async ({ request }) => {
  await trpcCall(request, "search.ports");
  const app = await request.get("/api/metrics");
  expect(app.status()).toBe(200);
  expect(app.headers()["content-type"]).toContain("text/plain");
  const text = await app.text();
  expect(text).toContain("# TYPE traverse_http_request_duration_seconds histogram");
  expect(text).toMatch(
    /traverse_http_request_duration_seconds_count\{procedure="search.ports",outcome="ok"\} [1-9]/,
  );
  expect(text).toMatch(/^traverse_holds_active \d+$/m);

  // The worker starts after the app answers its health check: wait for its endpoint (polls, then throws).
  const workerUrl = `http://127.0.0.1:${9465 + E2E.portOffset}/metrics`;
  let workerText = "";
  await expect
    .poll(
      async () => {
        const r = await request.get(workerUrl).catch(() => null);
        workerText = r?.ok() ? await r.text() : "";
        return r?.status() ?? 0;
      },
      { message: "the worker's metrics endpoint", timeout: 30_000 },
    )
    .toBe(200);
  const beat = /^traverse_worker_heartbeat_timestamp_seconds ([\d.e+]+)$/m.exec(workerText);
  expect(Number(beat?.[1])).toBeGreaterThan(Date.now() / 1000 - 60);
});

test("the admin Operations page charts both delays against their promises", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Operations" }).click();
  await expect(page).toHaveURL(/\/admin\/operations$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Operations");
  const confirmation = page.getByRole("region", { name: "Payment to confirmation" });
  const email = page.getByRole("region", { name: "Email delivery" });
  await expect(confirmation.getByText("5–15 s").first()).toBeVisible();
  await expect(email.getByText("10–20 s").first()).toBeVisible();
  await expectNoSeriousAxeViolations(page, "admin Operations");
});
