import { expect, test } from "@playwright/test";

test("the home page loads in English with the search heading", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/en$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cross the Mediterranean");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("health reports the database, cache and worker", async ({ request }) => {
  await expect
    .poll(async () => (await (await request.get("/api/health")).json()).worker.lastSeenSecondsAgo, {
      timeout: 30_000,
      message: "a worker heartbeat in /api/health",
    })
    .not.toBeNull();
  const health = await (await request.get("/api/health")).json();
  expect(health).toMatchObject({ db: "ok", cache: "ok" });
});
