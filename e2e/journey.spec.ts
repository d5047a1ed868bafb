import { devices, expect, type Page, test } from "@playwright/test";
import {
  addDays,
  addYears,
  emailMessages,
  escapeRegExp,
  LOCALES,
  type Locale,
  messages,
  mondayInWeeks,
  referenceOnStripe,
  waitForEmail,
} from "./fixtures/traveller";

/**
 * The whole traveller journey in a real browser: home → search → a round trip for 2 adults, 1 child and
 * a car → outbound and return → the five booking steps → Stripe's hosted page (the emulator) → our success page
 * confirms by itself → the confirmation email, in the traveller's language. Every locator uses the name the
 * traveller reads, taken from that locale's message files.
 */

const PARTY = [
  { type: "adult", n: 1, first: "Amira", last: "Ben Salah", nationality: "TN", document: "X1234567" },
  { type: "adult", n: 2, first: "Julien", last: "Moreau", nationality: "FR", document: "19AB12345" },
  { type: "child", n: 1, first: "Yasmine", last: "Moreau", nationality: "FR", document: "20CD67890" },
] as const;

interface Journey {
  locale: Locale;
  outbound: string;
  email: string;
}

async function searchFromHome(page: Page, { locale, outbound }: Journey) {
  const m = messages(locale);
  const inbound = addDays(outbound, 3); // Thursday: MRS→TUN with two operators
  await page.goto(`/${locale}`);
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  await expect(page.locator("html")).toHaveAttribute("dir", locale === "ar" ? "rtl" : "ltr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("home.headline"));

  const form = page.getByRole("main");
  // The trip type is a pair of visually hidden radios inside pill-shaped labels: press the label, as a person would.
  const returnRadio = { name: m("search.form.return"), exact: true } as const;
  const returnTrip = form.getByRole("radio", returnRadio);
  await form
    .locator("label")
    .filter({ has: page.getByRole("radio", returnRadio) })
    .click();
  await expect(returnTrip).toBeChecked();
  await form.getByLabel(m("search.form.from"), { exact: true }).selectOption({ label: m("ports.TUN.name") });
  await form.getByLabel(m("search.form.to"), { exact: true }).selectOption({ label: m("ports.MRS.name") });
  await form.getByLabel(m("search.form.date"), { exact: true }).fill(outbound);
  await form.getByLabel(m("search.form.returnDate"), { exact: true }).fill(inbound);
  await form.getByRole("button", { name: m("search.form.adults.add") }).click();
  await expect(
    form.getByRole("group", { name: m("search.form.adults.label") }).getByRole("status"),
  ).toHaveText(new Intl.NumberFormat(locale).format(2));
  await form.getByRole("button", { name: m("search.form.children.add") }).click();
  await expect(
    form.getByRole("group", { name: m("search.form.children.label") }).getByRole("status"),
  ).toHaveText(new Intl.NumberFormat(locale).format(1));
  await form
    .getByLabel(m("search.form.vehicle"), { exact: true })
    .selectOption({ label: m("search.form.vehicleTypes.car") });
  await form.getByRole("button", { name: m("search.form.submit") }).click();

  await expect(page).toHaveURL(
    new RegExp(
      `/${locale}/search\\?.*from=TUN&to=MRS&date=${outbound}&return=${inbound}&adults=2&children=1&infants=0&vehicle=car`,
    ),
  );
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    m("search.results.heading", { from: m("ports.TUN.name"), to: m("ports.MRS.name") }),
  );
}

async function chooseSailings(page: Page, locale: Locale) {
  const m = messages(locale);
  const out = page.getByRole("region", {
    name: new RegExp(`^${escapeRegExp(m("search.results.outbound"))}`),
  });
  const ret = page.getByRole("region", { name: new RegExp(`^${escapeRegExp(m("search.results.return"))}`) });
  await expect(out.getByRole("article").first()).toBeVisible();
  await expect(ret.getByRole("article")).toHaveCount(2);
  await out
    .getByRole("radio", { name: new RegExp(m("search.results.accommodation.SEAT")) })
    .first()
    .check();
  // The return may be with the other operator: take the second sailing of the day.
  await ret
    .getByRole("article")
    .nth(1)
    .getByRole("radio", { name: new RegExp(m("search.results.accommodation.CABIN_INSIDE")) })
    .check();
  const summary = page.getByRole("region", { name: m("search.results.summary.title") });
  await summary.getByRole("link", { name: m("search.results.summary.continue") }).click();
  await expect(page).toHaveURL(new RegExp(`/${locale}/book\\?out=\\d+%3ASEAT&ret=\\d+%3ACABIN_INSIDE`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("book.title"));
}

async function fillSteps(page: Page, { locale, outbound, email }: Journey) {
  const m = messages(locale);
  const country = new Intl.DisplayNames([locale], { type: "region" });
  const stepHeading = (step: string) =>
    page.getByRole("heading", { name: new RegExp(escapeRegExp(m(`book.steps.${step}`))) });
  const cont = () => page.getByRole("button", { name: m("book.continue"), exact: true }).click();

  // The total is in view from the first step.
  const total = page.getByRole("complementary", { name: m("book.summary.title") });
  await expect(total).toContainText(m("book.summary.total"));
  await cont();

  await expect(stepHeading("passengers")).toBeFocused();
  for (const p of PARTY) {
    const group = page.getByRole("group", { name: m(`book.passengers.${p.type}`, { n: p.n }), exact: true });
    await group.getByLabel(m("book.passengers.firstName"), { exact: true }).fill(p.first);
    await group.getByLabel(m("book.passengers.lastName"), { exact: true }).fill(p.last);
    if (p.type === "child") {
      // Seven on the day of departure: a child (4–11).
      await group.getByLabel(m("book.passengers.dateOfBirth"), { exact: true }).fill(addYears(outbound, -7));
    }
    await group
      .getByLabel(m("book.passengers.nationality"), { exact: true })
      .selectOption({ label: country.of(p.nationality) as string });
    await group.getByLabel(m("book.passengers.document"), { exact: true }).fill(p.document);
  }
  await cont();

  await expect(stepHeading("vehicle")).toBeFocused();
  await expect(
    page.getByRole("radio", { name: new RegExp(m("book.vehicle.types.car")) }).first(),
  ).toBeChecked();
  // The class's limits are explained before paying.
  await expect(page.getByText(m("book.vehicle.why"))).toBeVisible();
  await page.getByLabel(m("book.vehicle.registration"), { exact: true }).fill("AB-123-CD");
  await cont();

  await expect(stepHeading("contact")).toBeFocused();
  await page.getByLabel(m("book.contact.email"), { exact: true }).fill(email);
  await cont();

  await expect(stepHeading("review")).toBeFocused();
  const review = page.getByRole("region", { name: new RegExp(escapeRegExp(m("book.steps.review"))) });
  await expect(review).toContainText("Amira Ben Salah");
  await expect(review).toContainText("Yasmine Moreau");
  await expect(review).toContainText("AB-123-CD");
  await expect(review).toContainText(m("book.review.policyTitle"));
}

async function payOnStripe(page: Page, locale: Locale) {
  const m = messages(locale);
  await page.getByRole("button", { name: m("book.review.submit") }).click();
  // Stripe's hosted page (the emulator): in English whatever our locale.
  const reference = await referenceOnStripe(page);
  expect(reference).toMatch(/^TRV-/);
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  const email = page.getByLabel("Email");
  if (!(await email.inputValue())) await email.fill("traveller@example.com");
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page).toHaveURL(new RegExp(`/${locale}/checkout/success\\?session_id=`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("checkout.success.confirmedTitle"));
  await expect(page.getByText(reference, { exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("dir", locale === "ar" ? "rtl" : "ltr");
  return reference;
}

async function expectConfirmationEmail(page: Page, { locale, email }: Journey, reference: string) {
  const e = emailMessages(locale);
  const subject = e("bookingConfirmed.subject", {
    reference,
    from: e("ports.TUN"),
    to: e("ports.MRS"),
  });
  const mail = await waitForEmail(page.request, email, new RegExp(escapeRegExp(reference)));
  expect(mail.subject).toBe(subject);
  expect(mail.html).toContain(e("bookingConfirmed.heading"));
  expect(mail.html).toContain(e("bookingConfirmed.ticketsHeading"));
  expect(mail.html).toMatch(new RegExp(`<html[^>]*lang="${locale}"`));
  if (locale === "ar") expect(mail.html).toMatch(/<html[^>]*dir="rtl"/);
  else expect(mail.html).not.toContain('dir="rtl"');
}

async function journey(page: Page, j: Journey) {
  await searchFromHome(page, j);
  await chooseSailings(page, j.locale);
  await fillSteps(page, j);
  const reference = await payOnStripe(page, j.locale);
  await expectConfirmationEmail(page, j, reference);
}

test.describe("the whole journey", () => {
  // A booking, a payment and a webhook through the worker: more than the default minute on a busy machine.
  test.describe.configure({ timeout: 120_000 });

  for (const [i, locale] of LOCALES.entries()) {
    test(`in ${locale}: round trip for 2 adults, a child and a car, paid on Stripe, email in ${locale}`, async ({
      page,
    }) => {
      await journey(page, {
        locale,
        outbound: mondayInWeeks(3 + i),
        email: `journey-${locale}-${Date.now()}@example.com`,
      });
    });
  }
});

test.describe("on a phone", () => {
  test.describe.configure({ timeout: 120_000 });
  const { defaultBrowserType: _ignored, ...pixel } = devices["Pixel 7"];
  test.use(pixel);

  for (const [i, locale] of (["ar", "fr"] as const).entries()) {
    test(`in ${locale}: the same journey on a Pixel 7`, async ({ page }) => {
      await journey(page, {
        locale,
        outbound: mondayInWeeks(6 + i),
        email: `journey-phone-${locale}-${Date.now()}@example.com`,
      });
      // Nothing wider than the screen: a phone never scrolls sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
});
