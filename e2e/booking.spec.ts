import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * Booking and paying: from the results page through the booking steps to Stripe Checkout
 * (the emulator's hosted page) and back to our success page, which confirms by itself once the worker has
 * processed the webhook. Dates are computed from today in Tunis: the e2e stack seeds 120 days of sailings from
 * its start, and TUN→MRS sails on Mondays at 12:00 (CTN).
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

/** A Monday far enough ahead that the full refund band applies and nothing is about to close for sale. */
function mondayInTwoWeeks(): string {
  let d = addDays(tunisToday(), 14);
  while (new Date(`${d}T12:00:00Z`).getUTCDay() !== 1) d = addDays(d, 1);
  return d;
}

async function expectNoSeriousAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

const TRAVELLERS = [
  { first: "Amira", last: "Ben Salah", nationality: "Tunisia", document: "X1234567" },
  { first: "Julien", last: "Moreau", nationality: "France", document: "19AB12345" },
];

/** Results page → the reclining seat on the Monday sailing → the booking page. */
async function chooseSailing(page: Page) {
  await page.goto(
    `/en/search?from=TUN&to=MRS&date=${mondayInTwoWeeks()}&adults=2&children=0&infants=0&pets=0`,
  );
  const outbound = page.getByRole("region", { name: /^Outbound/ });
  await outbound
    .getByRole("radio", { name: /Reclining seat/ })
    .first()
    .check();
  await page.getByRole("link", { name: "Continue to booking" }).click();
  await expect(page).toHaveURL(/\/en\/book\?out=\d+%3ASEAT&adults=2/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Book your crossing");
}

/** The five steps, checking that focus follows each new step and that mistakes are shown next to the field. */
async function fillBooking(page: Page, email: string) {
  const total = page.getByRole("complementary", { name: "Price summary" });
  await expect(total).toContainText(/Total\s*€[\d,]+\.\d\d/);
  const expectedTotal =
    (await total
      .getByText(/^€[\d,]+\.\d\d$/)
      .last()
      .textContent()) ?? "";

  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /Passengers/ })).toBeFocused();

  // Continuing with nothing filled in: errors appear by the fields and focus goes to the first one.
  await page.getByRole("button", { name: "Continue" }).click();
  const adult1 = page.getByRole("group", { name: "Adult 1" });
  await expect(adult1.getByLabel("First name(s)")).toBeFocused();
  await expect(adult1.getByText("Enter the first name as written on the travel document.")).toBeVisible();
  await expect(adult1.getByLabel("First name(s)")).toHaveAttribute("aria-invalid", "true");

  for (const [i, p] of TRAVELLERS.entries()) {
    const group = page.getByRole("group", { name: `Adult ${i + 1}` });
    await group.getByLabel("First name(s)").fill(p.first);
    await group.getByLabel("Last name").fill(p.last);
    await group.getByLabel("Nationality").selectOption({ label: p.nationality });
    await group.getByLabel("Passport or ID card number").fill(p.document);
  }
  await expectNoSeriousAxeViolations(page);
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { name: /Vehicle and pets/ })).toBeFocused();
  await expect(page.getByRole("radio", { name: /No vehicle/ })).toBeChecked();
  await expect(page.getByText("Up to 1.90 m high and 5.00 m long.")).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { name: /Contact details/ })).toBeFocused();
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { name: /Review and pay/ })).toBeFocused();
  const review = page.getByRole("region", { name: /Review and pay/ });
  await expect(review).toContainText("2 adults × €");
  await expect(review).toContainText(expectedTotal);
  await expect(review).toContainText("Amira Ben Salah");
  await expect(review).toContainText("Cancellation policy");
  await expectNoSeriousAxeViolations(page);
  return expectedTotal;
}

async function holdAndGoToStripe(page: Page) {
  await page.getByRole("button", { name: "Hold my places and pay" }).click();
  await expect(page.getByRole("heading", { name: "Your places are held" })).toBeVisible();
  const reference = (await page.getByText(/^TRV-[A-Z0-9]+$/).textContent()) ?? "";
  expect(reference).toMatch(/^TRV-/);
  await expect(page.getByRole("timer")).toHaveText(/^(29|30):\d\d$/);
  // The payment page is Stripe's (here its emulator), not ours.
  await expect(page.getByRole("button", { name: "Pay" })).toBeVisible();
  return reference;
}

async function payWithCard(page: Page, card: string) {
  const email = page.getByLabel("Email");
  if (!(await email.inputValue())) await email.fill("traveller@example.com");
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Pay" }).click();
}

async function expectConfirmed(page: Page, reference: string) {
  await expect(page).toHaveURL(/\/en\/checkout\/success\?session_id=/);
  // Confirmed by the worker after the webhook; the page gets there by itself, without a reload.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your booking is confirmed");
  await expect(page.getByText(reference, { exact: true })).toBeVisible();
  await expect(page.getByText("Confirmed", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Itinerary" })).toBeVisible();
  await expect(page.getByText("Amira Ben Salah")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
}

test("book 2 adults from the results page, pay with 4242…, and the success page confirms by itself", async ({
  page,
}) => {
  await chooseSailing(page);
  const email = `pay-ok-${Date.now()}@example.com`;
  const total = await fillBooking(page, email);
  const reference = await holdAndGoToStripe(page);
  await payWithCard(page, "4242 4242 4242 4242");
  await expectConfirmed(page, reference);
  await expect(page.getByRole("table")).toContainText(total);

  // The booking can be found again and cancelled, with the refund shown before confirming.
  await page.getByRole("link", { name: "Manage this booking" }).click();
  await expect(page.getByLabel("Booking reference")).toHaveValue(reference);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Find my booking" }).click();
  await expect(page.getByRole("heading", { name: `Booking ${reference}` })).toBeFocused();
  await expectNoSeriousAxeViolations(page);
  await page.getByRole("button", { name: "Cancel booking…" }).click();
  const dialog = page.getByRole("dialog", { name: `Cancel booking ${reference}?` });
  await expect(dialog).toContainText(`Cancelling now refunds ${total} (100%)`);
  await expect(dialog.getByRole("button", { name: "Keep my booking" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Cancel booking…" })).toBeFocused();
  await page.getByRole("button", { name: "Cancel booking…" }).click();
  await dialog.getByRole("button", { name: "Yes, cancel my booking" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your booking is cancelled" })).toContainText(
    total,
  );
  await expect(page.getByText("Cancelled", { exact: true })).toBeVisible();
});

test("a declined card shows Stripe's message and the booking stays payable", async ({ page }) => {
  await chooseSailing(page);
  await fillBooking(page, `declined-${Date.now()}@example.com`);
  const reference = await holdAndGoToStripe(page);

  await payWithCard(page, "4000 0000 0000 0002");
  await expect(page.getByText("Your card was declined.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Pay" })).toBeVisible();

  // The traveller gives up on this page: Stripe's Back link leads to our cancel page, still within the hold.
  await page.getByRole("link", { name: "Back" }).click();
  await expect(page).toHaveURL(/\/en\/checkout\/cancelled\?payment=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment not completed");
  await expect(page.getByText(reference, { exact: true })).toBeVisible();
  await expect(page.getByRole("timer")).toHaveText(/^(2\d|30):\d\d$/);
  await expectNoSeriousAxeViolations(page);

  await page.getByRole("button", { name: "Try paying again" }).click();
  await expect(page.getByRole("button", { name: "Pay" })).toBeVisible();
  await payWithCard(page, "4242 4242 4242 4242");
  await expectConfirmed(page, reference);
});
