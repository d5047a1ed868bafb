import { expect, type Page, test } from "@playwright/test";
import { E2E } from "./fixtures/stack";
import {
  addDays,
  endHoldNow,
  escapeRegExp,
  expectNoSeriousAxeViolations,
  fillSailing,
  type Locale,
  messages,
  mondayInWeeks,
  referenceOnStripe,
  sailingIds,
} from "./fixtures/traveller";

/**
 * When there is no room: a full sailing is explained on the results page with the nearest days
 * that still have space, and a hold that ends while the traveller is paying is explained with a way to start again.
 */

for (const locale of ["en", "ar"] as const) {
  test(`a full sailing is explained and the nearest days with space are offered (${locale})`, async ({
    page,
  }) => {
    const m = messages(locale);
    const monday = mondayInWeeks(locale === "en" ? 12 : 13);
    const ids = await sailingIds(page.request, "TUN", "MRS", monday);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await fillSailing(page.request, id);

    await page.goto(`/${locale}/search?from=TUN&to=MRS&date=${monday}&adults=2&children=0&infants=0&pets=0`);
    const out = page.getByRole("region", {
      name: new RegExp(`^${escapeRegExp(m("search.results.outbound"))}`),
    });
    // The sailing is still shown, with every option unavailable and the reason in words.
    await expect(out.getByRole("article")).toHaveCount(ids.length);
    for (const radio of await out.getByRole("radio").all()) await expect(radio).toBeDisabled();
    await expect(out.getByText(m("search.results.unavailable.PASSENGER")).first()).toBeVisible();

    await expect(out.getByRole("heading", { name: m("search.results.full.title") })).toBeVisible();
    await expect(out.getByText(m("search.results.full.suggest"))).toBeVisible();
    const suggestions = out
      .getByRole("list")
      .filter({ has: page.getByRole("link") })
      .last()
      .getByRole("link");
    await expect(suggestions.first()).toBeVisible();
    const count = await suggestions.count();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(4);
    await expectNoSeriousAxeViolations(page, `sold-out results (${locale})`);

    // The nearest suggestions are the days either side (Saturday and Tuesday sail with Corsica Linea).
    const hrefs = await suggestions.evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs.some((h) => h.includes(`date=${addDays(monday, 1)}`))).toBe(true);
    expect(hrefs.every((h) => !h.includes(`date=${monday}`))).toBe(true);

    // Following one leads to a day that can be booked for this party.
    await suggestions.first().click();
    await expect(page).not.toHaveURL(new RegExp(`date=${monday}&`));
    const other = page.getByRole("region", {
      name: new RegExp(`^${escapeRegExp(m("search.results.outbound"))}`),
    });
    await expect(other.getByRole("radio", { disabled: false }).first()).toBeEnabled();
    await expect(other.getByRole("heading", { name: m("search.results.full.title") })).toHaveCount(0);
  });
}

/** Results → the reclining seat for one adult → the five steps → "Hold my places and pay" → Stripe's page. */
async function holdAndLeaveForStripe(page: Page, locale: Locale, monday: string, email: string) {
  const m = messages(locale);
  await page.goto(`/${locale}/search?from=TUN&to=MRS&date=${monday}&adults=1&children=0&infants=0&pets=0`);
  const out = page.getByRole("region", {
    name: new RegExp(`^${escapeRegExp(m("search.results.outbound"))}`),
  });
  await out
    .getByRole("radio", { name: new RegExp(m("search.results.accommodation.SEAT")) })
    .first()
    .check();
  await page.getByRole("link", { name: m("search.results.summary.continue") }).click();
  const next = () => page.getByRole("button", { name: m("book.continue"), exact: true }).click();
  const heading = (step: string) =>
    page.getByRole("heading", { name: new RegExp(escapeRegExp(m(`book.steps.${step}`))) });
  await next();
  await expect(heading("passengers")).toBeFocused();
  const adult = page.getByRole("group", { name: m("book.passengers.adult", { n: 1 }), exact: true });
  await adult.getByLabel(m("book.passengers.firstName"), { exact: true }).fill("Amira");
  await adult.getByLabel(m("book.passengers.lastName"), { exact: true }).fill("Ben Salah");
  await adult.getByLabel(m("book.passengers.nationality"), { exact: true }).selectOption("TN");
  await adult.getByLabel(m("book.passengers.document"), { exact: true }).fill("X1234567");
  await next();
  await expect(heading("vehicle")).toBeFocused();
  await next();
  await expect(heading("contact")).toBeFocused();
  await page.getByLabel(m("book.contact.email"), { exact: true }).fill(email);
  await next();
  await expect(heading("review")).toBeFocused();
  await page.getByRole("button", { name: m("book.review.submit") }).click();
  await expect(page).toHaveURL(new RegExp(`:${new URL(E2E.stripeUrl).port}/pay/cs_`));
  const reference = await referenceOnStripe(page);
  expect(reference).toMatch(/^TRV-/);
  return reference;
}

/** The traveller leaves Stripe with the browser's Back button: our page offers to continue paying. */
async function backFromStripe(page: Page, locale: Locale, reference: string) {
  const m = messages(locale);
  await page.goBack();
  await expect(page.getByRole("heading", { name: m("book.hold.title") })).toBeVisible();
  await expect(page.getByText(reference, { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: m("book.hold.continuePay") })).toBeVisible();
  await expect(page.getByRole("timer")).toBeVisible();
}

/** The ended hold is explained; "Book again" opens the review with everything typed, and a new hold goes to Stripe. */
async function startAgain(page: Page, locale: Locale, oldReference: string) {
  const m = messages(locale);
  const over = page.getByRole("heading", { name: m("book.hold.overTitle") });
  await expect(over).toBeFocused();
  await expect(page.getByText(m("book.hold.overBody"))).toBeVisible();
  await expect(page.getByRole("link", { name: m("book.hold.searchAgain") })).toBeVisible();
  await expectNoSeriousAxeViolations(page, `hold ended (${locale})`);

  await page.getByRole("button", { name: m("book.hold.restart") }).click();
  const review = page.getByRole("heading", { name: new RegExp(escapeRegExp(m("book.steps.review"))) });
  await expect(review).toBeFocused();
  await expect(
    page.getByRole("region", { name: new RegExp(escapeRegExp(m("book.steps.review"))) }),
  ).toContainText("Amira Ben Salah");
  await page.getByRole("button", { name: m("book.review.submit") }).click();
  await expect(page).toHaveURL(new RegExp(`:${new URL(E2E.stripeUrl).port}/pay/cs_`));
  const reference = await referenceOnStripe(page);
  expect(reference).toMatch(/^TRV-/);
  expect(reference).not.toBe(oldReference);
}

test("the server ends the hold while the traveller is back on our page: explained, and they book again", async ({
  page,
}) => {
  const locale = "en";
  const m = messages(locale);
  const email = `hold-server-${Date.now()}@example.com`;
  const reference = await holdAndLeaveForStripe(page, locale, mondayInWeeks(14), email);
  await backFromStripe(page, locale, reference);

  // The 30 minutes pass on the server (the stack runs the real hold length, so the test moves the end instead).
  await endHoldNow(reference);
  await page.getByRole("button", { name: m("book.hold.continuePay") }).click();
  await startAgain(page, locale, reference);
});

test("the countdown runs out while the traveller is on the page: explained, and they book again", async ({
  page,
}) => {
  const locale = "ar";
  const m = messages(locale);
  // The browser's clock, so the 30 minutes can pass in an instant on the page.
  await page.clock.install();
  const email = `hold-clock-${Date.now()}@example.com`;
  const reference = await holdAndLeaveForStripe(page, locale, mondayInWeeks(15), email);
  await backFromStripe(page, locale, reference);

  await page.clock.fastForward("25:00");
  await expect(page.getByRole("heading", { name: m("book.hold.title") })).toBeVisible();
  await page.clock.fastForward("05:30");
  await expect(page.getByRole("timer")).toHaveCount(0);
  await startAgain(page, locale, reference);
});
