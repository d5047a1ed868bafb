import { expect, test } from "@playwright/test";
import { E2E } from "./fixtures/stack";
import { addDays, payWithTestCard, tunisToday } from "./fixtures/traveller";

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

test("a traveller books a connected operator's sailing and pays; the success page ends confirmed with the operator's reference", async ({
  page,
}) => {
  await page.goto(`/en/search?from=TUN&to=GOA&date=${tuesday(5)}&adults=1&children=0&infants=0`);
  const outbound = page.getByRole("region", { name: /^Outbound/ });
  const gnv = outbound.getByRole("article").filter({ hasText: "Grandi Navi Veloci" }).first();
  await gnv.getByRole("radio", { name: /Deck passage/ }).check();
  await page.getByRole("link", { name: "Continue to booking" }).click();
  await expect(page).toHaveURL(/\/en\/book\?out=GNV/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Book your crossing");

  await page.getByRole("button", { name: "Continue" }).click();
  const adult = page.getByRole("group", { name: "Adult 1" });
  await adult.getByLabel("First name(s)").fill("Amira");
  await adult.getByLabel("Last name").fill("Ben Salah");
  await adult.getByLabel("Nationality").selectOption({ label: "Tunisia" });
  await adult.getByLabel("Passport or ID card number").fill("X1234567");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  const email = `connected-${Date.now()}@example.com`;
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /Review and pay/ })).toBeFocused();
  const reference = await payWithTestCard(page, "Hold my places and pay", email);

  await expect(page).toHaveURL(/\/en\/checkout\/success\?session_id=/);
  // Paid, then confirmed with the operator by the worker: the page gets there by itself.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your booking is confirmed", {
    timeout: 30_000,
  });
  await expect(page.getByText(reference, { exact: true })).toBeVisible();
  await expect(page.getByText("Grandi Navi Veloci booking reference:")).toBeVisible();
  const operatorRef = (await page.getByText("Grandi Navi Veloci booking reference:").textContent()) ?? "";
  expect(operatorRef.replace("Grandi Navi Veloci booking reference:", "").trim()).not.toBe("");
});
