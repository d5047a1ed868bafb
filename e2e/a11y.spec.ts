import { expect, type Locator, type Page, test } from "@playwright/test";
import {
  addDays,
  escapeRegExp,
  expectNoSeriousAxeViolations,
  type Locale,
  messages,
  mondayInWeeks,
  referenceOnStripe,
} from "./fixtures/traveller";
import { E2E } from "./fixtures/stack";

/**
 * Accessibility: the booking done with the keyboard alone, and axe-core (no serious or critical
 * violation) on every traveller page in a left-to-right and a right-to-left language. Screenshots of the results
 * page in English and Arabic are attached to the report.
 */

const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expect(target, `reached with ${back ? "Shift+Tab" : "Tab"}`).toBeFocused();
}

async function typeInto(page: Page, target: Locator, text: string) {
  await tabTo(page, target);
  await page.keyboard.type(text);
  await expect(target).toHaveValue(text);
}

test("the whole booking with the keyboard alone, from the results to the payment page", async ({ page }) => {
  const m = messages("en");
  const monday = mondayInWeeks(9);
  await page.goto(`/en/search?from=TUN&to=MRS&date=${monday}&adults=1&children=0&infants=0&pets=0`);
  const out = page.getByRole("region", { name: /^Outbound/ });

  // Tab to the first option of the sailing, then arrow to the reclining seat and take it with Space.
  const deck = out.getByRole("radio", { name: /Deck passage/ }).first();
  const seat = out.getByRole("radio", { name: /Reclining seat/ }).first();
  await tabTo(page, deck);
  await page.keyboard.press("ArrowDown");
  await expect(seat).toBeFocused();
  await page.keyboard.press("Space");
  await expect(seat).toBeChecked();

  const cont = page.getByRole("link", { name: m("search.results.summary.continue") });
  await tabTo(page, cont);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/en\/book\?out=\d+%3ASEAT/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("book.title"));

  const heading = (step: string) => page.getByRole("heading", { name: new RegExp(m(`book.steps.${step}`)) });
  const next = page.getByRole("button", { name: m("book.continue"), exact: true });

  await tabTo(page, next);
  await page.keyboard.press("Enter");
  await expect(heading("passengers")).toBeFocused();

  // Enter on Continue with nothing filled in: focus goes to the first field in error.
  await tabTo(page, next);
  await page.keyboard.press("Enter");
  const adult = page.getByRole("group", { name: "Adult 1", exact: true });
  await expect(adult.getByLabel("First name(s)")).toBeFocused();
  await page.keyboard.type("Amira");
  await typeInto(page, adult.getByLabel("Last name"), "Ben Salah");
  const nationality = adult.getByLabel("Nationality");
  await tabTo(page, nationality);
  // On a closed list, the arrow keys change the choice: the frequent countries come first.
  await page.keyboard.press("ArrowDown");
  await expect(nationality).toHaveValue("TN");
  await typeInto(page, adult.getByLabel("Passport or ID card number"), "X1234567");
  // Shift+Tab goes back through the form to fix a name.
  await tabTo(page, adult.getByLabel("First name(s)"), { back: true });
  await page.keyboard.press("End");
  await page.keyboard.type("a");
  await expect(adult.getByLabel("First name(s)")).toHaveValue("Amiraa");
  await page.keyboard.press("Backspace");
  await tabTo(page, next);
  await page.keyboard.press("Enter");

  await expect(heading("vehicle")).toBeFocused();
  const none = page.getByRole("radio", { name: /No vehicle/ });
  await tabTo(page, none);
  await expect(none).toBeChecked();
  await tabTo(page, next);
  await page.keyboard.press("Enter");

  await expect(heading("contact")).toBeFocused();
  await typeInto(page, page.getByLabel("Email", { exact: true }), `keyboard-${Date.now()}@example.com`);
  // Enter in the field does not submit a half-finished booking; Continue does.
  await tabTo(page, next);
  await page.keyboard.press("Enter");

  await expect(heading("review")).toBeFocused();
  const review = page.getByRole("region", { name: new RegExp(escapeRegExp(m("book.steps.review"))) });
  await expect(review).toContainText("Amira Ben Salah");

  // Going back a step with the keyboard keeps what was typed, and focus follows.
  const changeContact = page.getByRole("button", {
    name: m("book.changeStep", { step: m("book.steps.contact") }),
  });
  await tabTo(page, changeContact, { back: true });
  await page.keyboard.press("Enter");
  await expect(heading("contact")).toBeFocused();
  await tabTo(page, next);
  await page.keyboard.press("Space");
  await expect(heading("review")).toBeFocused();

  const submit = page.getByRole("button", { name: m("book.review.submit") });
  await tabTo(page, submit);
  await page.keyboard.press("Enter");
  // Stripe's hosted page (the emulator; its links use the host name the app was given).
  await expect(page).toHaveURL(new RegExp(`:${new URL(E2E.stripeUrl).port}/pay/cs_`));
  await expect(page.getByRole("button", { name: "Pay" })).toBeVisible();
});

/** Every traveller page in one locale, with axe after each: home, results, each booking step, success, manage, ticket. */
async function auditAllPages(
  page: Page,
  locale: Locale,
  weeks: number,
  screenshot: (p: Page) => Promise<void>,
) {
  const m = messages(locale);
  const email = `axe-${locale}-${Date.now()}@example.com`;
  const monday = mondayInWeeks(weeks);

  await page.goto(`/${locale}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("home.headline"));
  await expectNoSeriousAxeViolations(page, `home (${locale})`);

  await page.goto(
    `/${locale}/search?from=TUN&to=MRS&date=${monday}&return=${addDays(monday, 3)}&adults=2&children=0&infants=0&vehicle=car&pets=0`,
  );
  const out = page.getByRole("region", {
    name: new RegExp(`^${escapeRegExp(m("search.results.outbound"))}`),
  });
  const ret = page.getByRole("region", { name: new RegExp(`^${escapeRegExp(m("search.results.return"))}`) });
  await expect(out.getByRole("article").first()).toBeVisible();
  await expect(ret.getByRole("article").first()).toBeVisible();
  await expectNoSeriousAxeViolations(page, `results (${locale})`);
  await screenshot(page);
  await out.getByRole("radio").first().check();
  await ret.getByRole("radio").first().check();
  await expectNoSeriousAxeViolations(page, `results with a trip chosen (${locale})`);
  await page.getByRole("link", { name: m("search.results.summary.continue") }).click();

  const heading = (step: string) =>
    page.getByRole("heading", { name: new RegExp(escapeRegExp(m(`book.steps.${step}`))) });
  const next = () => page.getByRole("button", { name: m("book.continue"), exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("book.title"));
  await expectNoSeriousAxeViolations(page, `booking: trip (${locale})`);
  await next();
  await expect(heading("passengers")).toBeFocused();
  // With the errors showing: they must be announced and tied to their fields.
  await next();
  await expect(page.getByText(m("book.errors.firstNameRequired")).first()).toBeVisible();
  await expectNoSeriousAxeViolations(page, `booking: passengers with errors (${locale})`);
  for (const [i, name] of [
    ["Amira", "Ben Salah"],
    ["Julien", "Moreau"],
  ].entries()) {
    const group = page.getByRole("group", { name: m("book.passengers.adult", { n: i + 1 }), exact: true });
    await group.getByLabel(m("book.passengers.firstName"), { exact: true }).fill(name[0] as string);
    await group.getByLabel(m("book.passengers.lastName"), { exact: true }).fill(name[1] as string);
    await group.getByLabel(m("book.passengers.nationality"), { exact: true }).selectOption("TN");
    await group.getByLabel(m("book.passengers.document"), { exact: true }).fill(`X12345${i}7`);
  }
  await next();
  await expect(heading("vehicle")).toBeFocused();
  await expectNoSeriousAxeViolations(page, `booking: vehicle (${locale})`);
  await page.getByLabel(m("book.vehicle.registration"), { exact: true }).fill("123 TU 4567");
  await next();
  await expect(heading("contact")).toBeFocused();
  await expectNoSeriousAxeViolations(page, `booking: contact (${locale})`);
  await page.getByLabel(m("book.contact.email"), { exact: true }).fill(email);
  await next();
  await expect(heading("review")).toBeFocused();
  await expectNoSeriousAxeViolations(page, `booking: review (${locale})`);

  await page.getByRole("button", { name: m("book.review.submit") }).click();
  const reference = await referenceOnStripe(page);
  expect(reference).toMatch(/^TRV-/);
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  const stripeEmail = page.getByLabel("Email");
  if (!(await stripeEmail.inputValue())) await stripeEmail.fill(email);
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("checkout.success.confirmedTitle"));
  await expectNoSeriousAxeViolations(page, `success (${locale})`);

  await page.getByRole("link", { name: m("checkout.success.manage") }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("manage.title"));
  await expectNoSeriousAxeViolations(page, `manage: lookup (${locale})`);
  await page.getByLabel(m("manage.form.email"), { exact: true }).fill(email);
  await page.getByRole("button", { name: m("manage.form.submit") }).click();
  const booking = page.getByRole("heading", { name: m("manage.booking", { reference }) });
  await expect(booking).toBeFocused();
  await expectNoSeriousAxeViolations(page, `manage: booking (${locale})`);

  await page.getByRole("link", { name: m("manage.ticket") }).click();
  await expect(page).toHaveURL(new RegExp(`/${locale}/ticket/`));
  await expect(page.getByText(reference).first()).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("dir", locale === "ar" ? "rtl" : "ltr");
  await expectNoSeriousAxeViolations(page, `ticket (${locale})`);
}

for (const [i, locale] of (["en", "ar"] as const).entries()) {
  test(`axe finds no serious violation on any traveller page in ${locale}`, async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await auditAllPages(page, locale, 10 + i, async (p) => {
      // The results page as the traveller sees it, kept with the report (screenshots in en and ar).
      const file = testInfo.outputPath(`results-${locale}.png`);
      await p.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`results-${locale}`, { path: file, contentType: "image/png" });
    });
  });
}
