import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * Traveller search. Dates are computed from today in Tunis, because the e2e stack seeds
 * 120 days of sailings from its own start: TUN→MRS sails Mon/Wed/Fri at 12:00 (CTN) and Tue/Sat at 18:00
 * (Corsica Linea); MRS→TUN sails Thursday with both operators.
 */

function tunisToday(): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Africa/Tunis",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function weekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

/** The next Monday at least three days ahead, so "today" edge cases (a sailing already gone) never apply. */
function nextMonday(): string {
  let d = addDays(tunisToday(), 3);
  while (weekday(d) !== 1) d = addDays(d, 1);
  return d;
}

function longDate(date: string): string {
  return new Intl.DateTimeFormat("en", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${date}T12:00:00Z`));
}

async function expectNoSeriousAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("search Tunis → Marseille from the home page, then change the day from the strip", async ({ page }) => {
  const monday = nextMonday();
  const tuesday = addDays(monday, 1);
  await page.goto("/en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cross the Mediterranean");

  await page.getByLabel("From", { exact: true }).selectOption({ label: "Tunis (La Goulette)" });
  await page.getByLabel("To", { exact: true }).selectOption({ label: "Marseille" });
  await page.getByLabel("Departure date").fill(monday);
  await page.getByRole("button", { name: "Add an adult" }).click();
  await expect(page.getByRole("group", { name: "Adults" }).getByRole("status")).toHaveText("2");
  await page.getByRole("button", { name: "Search sailings" }).click();

  await expect(page).toHaveURL(new RegExp(`/en/search\\?from=TUN&to=MRS&date=${monday}&adults=2`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tunis (La Goulette) to Marseille");
  const outbound = page.getByRole("region", { name: /^Outbound/ });
  await expect(outbound.getByRole("status")).toHaveText(`1 sailing on ${longDate(monday)}`);
  const sailing = outbound.getByRole("article");
  // Local times at each port: 12:00 in Tunis, arrival the next morning in Marseille.
  await expect(sailing).toContainText("12:00");
  await expect(sailing).toContainText("Tunis time");
  await expect(sailing).toContainText("Marseille time");
  await expect(sailing).toContainText("+1 day");
  await expect(sailing).toContainText("Compagnie Tunisienne de Navigation");
  await expect(sailing.getByRole("radio")).toHaveCount(4);
  await expectNoSeriousAxeViolations(page);

  // The day strip: Tuesday is Corsica Linea at 18:00.
  const strip = page.getByRole("navigation", { name: "Other dates" }).first();
  await expect(strip.locator('[aria-current="date"]')).toContainText(longDate(monday));
  await strip.getByRole("link", { name: new RegExp(longDate(tuesday)) }).click();
  await expect(page).toHaveURL(new RegExp(`date=${tuesday}`));
  await expect(page.getByRole("article").first()).toContainText("18:00");
  await expect(page.getByRole("article").first()).toContainText("Corsica Linea");

  // The URL is the search, so the back button returns to Monday.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`date=${monday}`));
  await expect(page.getByRole("article").first()).toContainText("12:00");
});

test("a results URL opened directly shows a round trip and leads to booking", async ({ page }) => {
  const monday = nextMonday();
  const thursday = addDays(monday, 3);
  const party = "adults=2&children=1&infants=0&vehicle=car&pets=0";
  await page.goto(`/en/search?from=TUN&to=MRS&date=${monday}&return=${thursday}&${party}`);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tunis (La Goulette) to Marseille");
  const outbound = page.getByRole("region", { name: /^Outbound/ });
  const inbound = page.getByRole("region", { name: /^Return/ });
  await expect(outbound.getByRole("article").first()).toContainText("12:00");
  // Thursday back from Marseille: both operators, shown in Marseille time.
  await expect(inbound.getByRole("article")).toHaveCount(2);
  await expect(inbound.getByRole("article").first()).toContainText("Marseille time");

  await expect(page.getByText("Choose an outbound and a return option to continue.")).toBeVisible();
  await outbound.getByRole("radio").first().check();
  await inbound.getByRole("radio").first().check();
  const summary = page.getByRole("region", { name: "Your trip" });
  await expect(summary).toContainText(/€[\d,]+\.\d\d/);
  await expect(summary.getByRole("link", { name: "Continue to booking" })).toHaveAttribute(
    "href",
    new RegExp(`^/en/book\\?out=\\d+%3A[A-Z_]+&ret=\\d+%3A[A-Z_]+&${party}$`),
  );

  // Sorting keeps every sailing and records the order in the URL.
  await page.getByLabel("Sort by").selectOption({ label: "Shortest crossing" });
  await expect(page).toHaveURL(/sort=duration/);
  await expect(inbound.getByRole("article")).toHaveCount(2);
});

test("the home form explains that each infant needs an adult", async ({ page }) => {
  await page.goto("/en");
  await page.getByRole("button", { name: "Add an adult" }).click();
  await page.getByRole("button", { name: "Add an infant" }).click();
  await page.getByRole("button", { name: "Add an infant" }).click();
  await page.getByRole("button", { name: "Remove an adult" }).click();
  // Filtered: Next's route announcer is an alert region too.
  await expect(
    page.getByRole("alert").filter({ hasText: "Each infant travels on an adult's lap" }),
  ).toHaveText("Each infant travels on an adult's lap: add an adult or remove an infant.");
  await expect(page.getByRole("button", { name: "Add an infant" })).toBeDisabled();
  await page.getByRole("button", { name: "Search sailings" }).click();
  await expect(page).toHaveURL(/\/en$/);
  await expectNoSeriousAxeViolations(page);
});

test("a results URL with a bad party shows the message and the form to fix it", async ({ page }) => {
  await page.goto(`/fr/search?from=TUN&to=MRS&date=${nextMonday()}&adults=1&infants=2`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Impossible de rechercher avec ces informations",
  );
  await expect(
    page.getByRole("alert").filter({ hasText: "Chaque bébé voyage sur les genoux d'un adulte" }),
  ).toBeVisible();
  await expect(page.getByLabel("Départ", { exact: true })).toHaveValue("TUN");
  await expect(page.getByRole("button", { name: "Rechercher" })).toBeVisible();
});
