import { expect, test } from "@playwright/test";
import { E2E } from "./fixtures/stack";
import { addDays, tunisToday } from "./fixtures/traveller";

/**
 * Connected operators in the traveller's search. Tunis–Genoa is sailed by CTN (own, Tue/Sat 14:00) and GNV
 * (connected, through its reservation system: the emulator, Tue/Thu/Sun 20:00), so a Tuesday lists both.
 */

async function gnvControl(route: string, body: unknown) {
  const res = await fetch(`${E2E.gnvUrl}/_emulator/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.ok, `GNV emulator ${route}`).toBe(true);
}

/** A Tuesday at least `weeks` weeks ahead (each test its own day: no cache entry shared between tests). */
function tuesday(weeks: number): string {
  let d = addDays(tunisToday(), 7 * weeks);
  while (new Date(`${d}T12:00:00Z`).getUTCDay() !== 2) d = addDays(d, 1);
  return d;
}

test("a search with one operator hung shows the others, says which did not answer, and tries again", async ({
  page,
}) => {
  await gnvControl("hang", { seconds: 60 });
  try {
    await page.goto(`/en/search?from=TUN&to=GOA&date=${tuesday(3)}&adults=1&children=0&infants=0`);
    const notice = page.getByRole("status").filter({ hasText: "Grandi Navi Veloci did not answer in time" });
    await expect(notice).toBeVisible();
    const outbound = page.getByRole("region", { name: /^Outbound/ });
    // CTN's own sailing is listed and can be chosen; GNV's is missing, and the page says so.
    await expect(outbound.getByText("Compagnie Tunisienne de Navigation").first()).toBeVisible();
    await expect(outbound.getByRole("radio", { name: /Deck passage/ }).first()).toBeVisible();
    await expect(outbound.getByText("Grandi Navi Veloci", { exact: true })).toHaveCount(0);

    await gnvControl("hang", { seconds: 0 });
    // A failed call is shared with requests arriving within a moment of it, and the timed-out call may
    // still hold the single-flight lock (features/search/connected.ts): a traveller who tries again at
    // once can see the same notice, and tries again. Poll like that traveller, with a deadline.
    await expect(async () => {
      await page.getByRole("link", { name: "Try again" }).click();
      await expect(outbound.getByText("Grandi Navi Veloci", { exact: true }).first()).toBeVisible({
        timeout: 3_000,
      });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByText("did not answer in time")).toHaveCount(0);
  } finally {
    await gnvControl("hang", { seconds: 0 });
  }
});

test("a connected operator's sailing is listed with its operator like an own one", async ({ page }) => {
  await page.goto(`/en/search?from=TUN&to=GOA&date=${tuesday(4)}&adults=1&children=0&infants=0`);
  const outbound = page.getByRole("region", { name: /^Outbound/ });
  await expect(outbound.getByText("Grandi Navi Veloci", { exact: true }).first()).toBeVisible();
  await expect(outbound.getByText("Compagnie Tunisienne de Navigation").first()).toBeVisible();
});
