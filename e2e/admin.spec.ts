import { createServer } from "node:net";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import postgres from "postgres";
import { payOnStripe, resendEmails, sessionIdOf } from "../tests/support/emulators";
import { ADMIN, signInAsAdmin } from "./fixtures/admin";
import { E2E } from "./fixtures/stack";
import { addDays, expectNoSeriousAxeViolations, trpcCall, tunisToday } from "./fixtures/traveller";

/**
 * The admin: sign-in, a fare change that travellers see at once, and a refund whose email reaches
 * the inbox, and the Operators page. The e2e stack seeds the dev admin and 120 days of sailings from today;
 * TUN→MRS sails with CTN (an own operator, the only kind admins price) on Mondays, Wednesdays and Fridays.
 * Each test makes the data it needs (Epic Stack rule: no shared leftovers).
 */

async function signIn(page: Page) {
  await signInAsAdmin(page);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
}

/** The route's option in a "Route" select, chosen by its "FROM → TO" start. */
async function chooseRoute(page: Page, fromTo: string) {
  const select = page.getByLabel("Route", { exact: true });
  await expect(select.locator("option").first()).toBeAttached();
  const value = await select.locator("option", { hasText: new RegExp(`^${fromTo}`) }).getAttribute("value");
  expect(value).toBeTruthy();
  await select.selectOption(value!);
}

/** The first Monday, Wednesday or Friday from `from` on: the days CTN sails TUN→MRS. */
function nextCtnDay(from: string): string {
  let d = from;
  while (![1, 3, 5].includes(new Date(`${d}T12:00:00Z`).getUTCDay())) d = addDays(d, 1);
  return d;
}

test("sign-in refuses a wrong password, lets the admin in, and signs out", async ({ page }) => {
  // Signed out, every admin page leads to the login page.
  await page.goto("/admin/prices");
  await expect(page).toHaveURL(/\/admin\/login$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Admin sign-in");

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Sign-in failed" })).toContainText(
    "Email or password is incorrect.",
  );
  await expect(page).toHaveURL(/\/admin\/login$/);
  await expect(page.getByLabel("Password")).toHaveValue("");

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/schedules$/);
  await expect(page.getByRole("link", { name: "Schedules" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("banner")).toContainText(ADMIN.email);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login\?signedOut=1$/);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  // The session is gone on the server too, not only the page.
  await page.goto("/admin/bookings");
  await expect(page).toHaveURL(/\/admin\/login$/);
  const me = await page.request.get(`/api/trpc/admin.auth.me`);
  expect(me.status()).toBe(401);
});

test("an admin raises a fare and a traveller's search shows the new price at once", async ({
  page,
  browser,
}) => {
  const date = nextCtnDay(addDays(tunisToday(), 3));
  const searchUrl = `/en/search?from=TUN&to=MRS&date=${date}&adults=1&children=0&infants=0`;

  // The traveller searches first, so the old price is in the cache the admin's change must get past.
  const traveller = await browser.newContext();
  const travellerPage = await traveller.newPage();
  await travellerPage.goto(searchUrl);
  const outbound = travellerPage.getByRole("region", { name: /^Outbound/ });
  await expect(outbound.getByRole("radio", { name: /Deck passage/ }).first()).toBeVisible();

  await signIn(page);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Prices" }).click();
  await expect(
    page.getByText("Changes apply to new searches at once; existing bookings keep their price."),
  ).toBeVisible();
  // The editor says it applies to own operators only (the server refuses the others' routes).
  await expect(page.getByRole("status").filter({ hasText: "Own operators only" })).toContainText(
    "Prices set here apply to own operators",
  );
  await chooseRoute(page, "TUN → MRS · Compagnie Tunisienne de Navigation");

  const row = page.getByRole("row", { name: /^Deck passage/ });
  const edit = row.getByRole("button", { name: "Edit price: Deck passage, Adult" });
  await expect(edit).toBeVisible();
  const oldText = (await row.getByRole("cell").first().textContent()) ?? "";
  const oldCents = Math.round(Number(oldText.replace(/[^\d.]/g, "")) * 100);
  expect(oldCents).toBeGreaterThan(0);
  const newCents = oldCents + 1_234;
  const newText = `€${(newCents / 100).toFixed(2)}`;
  await expect(outbound).toContainText(`€${(oldCents / 100).toFixed(2)}`);

  // Inline editing validates before anything is sent.
  await edit.click();
  const input = page.getByLabel("New price: Deck passage, Adult (EUR)");
  await expect(input).toBeFocused();
  await input.fill("12.345");
  await input.press("Enter");
  await expect(page.getByText("Give an amount like 89.50 (at most 2 decimals).")).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");

  await input.fill((newCents / 100).toFixed(2));
  await input.press("Enter");
  await expect(
    page.getByText(new RegExp(`Price saved: Deck passage, Adult now ${newText.replace(".", "\\.")}`)),
  ).toBeVisible();
  await expect(row.getByRole("cell").first()).toContainText(newText);
  await expect(edit).toBeFocused();

  // The traveller, in their own browser context (no admin cookie), reloads: the new price, at once.
  await travellerPage.reload();
  await expect(travellerPage.getByRole("region", { name: /^Outbound/ })).toContainText(newText);
  await traveller.close();

  // The change is in the audit log with before and after.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit" }).click();
  const entry = page.getByRole("row", { name: /pricing\.setFare/ }).first();
  await expect(entry).toContainText(ADMIN.email);
  await expect(entry).toContainText(String(newCents));
  await expect(entry).toContainText(String(oldCents));
});

/**
 * A paid booking made the way the site makes one: booking.create, then Stripe's hosted checkout pays it.
 * Queries go as POST bodies, like the app's client sends them: lookups carrying an email are refused over GET.
 */
async function paidBooking(request: APIRequestContext, email: string) {
  const date = addDays(tunisToday(), 20);
  const { data: found } = await trpcCall<{ sailings: { id: number }[] }>(request, "search.sailings", {
    from: "TUN",
    to: "TPS",
    date,
    passengers: { adults: 1, children: 0, infants: 0 },
  });
  const sailingId = found.sailings[0]?.id;
  expect(sailingId).toBeTruthy();
  const { data: booking } = await trpcCall<{ reference: string; checkoutUrl: string | null }>(
    request,
    "booking.create",
    {
      outbound: { sailingId, accommodation: "DECK" },
      passengers: [
        {
          type: "adult",
          firstName: "Leila",
          lastName: "Trabelsi",
          nationality: "TN",
          documentNumber: "Y7654321",
        },
      ],
      contact: { email },
      locale: "en",
    },
  );
  const session = sessionIdOf(booking.checkoutUrl);
  expect(session, `checkout URL ${booking.checkoutUrl}`).toBeTruthy();
  await payOnStripe(E2E.stripeUrl, session as string);
  await expect
    .poll(
      async () =>
        (
          await trpcCall<{ status: string }>(request, "booking.get", {
            reference: booking.reference,
            email,
          })
        ).data.status,
      { timeout: 30_000, message: "the paid booking to be CONFIRMED by the worker" },
    )
    .toBe("CONFIRMED");
  return booking.reference;
}

test("an admin refunds a booking and the refund email reaches the traveller's inbox", async ({
  page,
  request,
}) => {
  const email = `refund-${Date.now()}@example.com`;
  const reference = await paidBooking(request, email);

  await signIn(page);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Bookings" }).click();
  await page.getByLabel("Reference, email or name").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: reference }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/bookings/${reference}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(reference);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("confirmed");
  await expect(page.getByRole("region", { name: "Travellers" })).toContainText("Leila Trabelsi");
  const total =
    (await page
      .getByRole("region", { name: "Summary" })
      .getByText(/^€[\d,]+\.\d\d$/)
      .first()
      .textContent()) ?? "";
  expect(total).toMatch(/^€/);

  // The dialog opens on the safe choice; Escape leaves everything as it was.
  await page.getByRole("button", { name: "Refund…" }).click();
  const dialog = page.getByRole("dialog", { name: `Refund booking ${reference}?` });
  await expect(dialog).toContainText(`${total} can still be refunded`);
  await expect(dialog.getByRole("button", { name: "Don't refund" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // A partial refund above what was paid is refused next to the field.
  await page.getByRole("button", { name: "Refund…" }).click();
  await dialog.getByLabel("Partial refund").check();
  await dialog.getByLabel(/Refund amount/).fill("100000");
  await dialog.getByRole("button", { name: /^Refund €/ }).click();
  await expect(dialog.getByText(`At most ${total} can be refunded.`)).toBeVisible();

  await dialog.getByLabel(/^Full refund/).check();
  await dialog.getByRole("button", { name: `Refund ${total}` }).click();
  await expect(page.getByText(`Refund of ${total} requested for ${reference}`)).toBeVisible();
  await expect(dialog).toBeHidden();

  // The worker asks Stripe, Stripe confirms by webhook, the refund email goes: the page follows by itself.
  const refunds = page.getByRole("region", { name: "Refunds" });
  await expect(refunds).toContainText("succeeded", { timeout: 45_000 });
  await expect(page.getByRole("region", { name: "Emails" })).toContainText("refund completed");

  await expect
    .poll(
      async () => {
        const data = await resendEmails(E2E.resendUrl);
        return data.some(
          (m) =>
            [m.to].flat().includes(email) &&
            /refund/i.test(m.subject) &&
            `${m.subject} ${m.text ?? ""} ${m.html ?? ""}`.includes(reference),
        );
      },
      { timeout: 45_000, message: "refund email in the Resend inbox" },
    )
    .toBe(true);

  // Nothing is left to refund, so the action is gone; the timeline tells the story.
  await expect(page.getByRole("button", { name: "Refund…" })).toBeHidden();
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText(
    "bookings.refund by admin@traverse.local",
  );
});

/** A local port nothing listens on: calls to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

test("the Operators page shows each operator, validates and saves settings, and tests a connection", async ({
  page,
}) => {
  // GNV connected, its row pointing at a port nothing listens on, so its connection test has a known
  // answer whatever else runs on this machine (an OPERATOR_GNV_URL in the stack's environment would win
  // over the row). The app's directory reloads the row when the settings are saved below.
  const sql = postgres(E2E.databaseUrl, { max: 1, onnotice: () => {} });
  const [before] = await sql<{ kind: string; baseUrl: string | null; markupBps: number }[]>`
    select kind, base_url as "baseUrl", markup_bps as "markupBps" from operators where code = 'GNV'`;
  await sql`update operators set kind = 'connected', base_url = ${`http://127.0.0.1:${await closedPort()}`}
    where code = 'GNV'`;
  try {
    await signIn(page);
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Operators" }).click();
    await expect(page).toHaveURL(/\/admin\/operators$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Operators");
    await expect(page.getByRole("status").filter({ hasText: "This server's view" })).toContainText(
      "kept by each server process",
    );

    const ctn = page.getByRole("region", { name: "Compagnie Tunisienne de Navigation (CTN)" });
    await expect(ctn).toContainText("Own operator");
    await expect(ctn).toContainText("edit its sailings on the Schedules page");
    await expect(ctn.getByRole("button")).toHaveCount(0);

    const gnv = page.getByRole("region", { name: "Grandi Navi Veloci (GNV)" });
    await expect(gnv).toContainText("Connected operator");
    await expectNoSeriousAxeViolations(page, "the Operators page");
    await expect(gnv).toContainText("Last 15 minutes");
    await expect(gnv).toContainText("Change feed");

    // Checked before anything is sent; the message sits next to the field.
    const markup = gnv.getByLabel("Markup (basis points)");
    await markup.fill("5001");
    await gnv.getByRole("button", { name: "Save settings" }).click();
    await expect(gnv.getByText("The markup must be between 0 and 5000 basis points.")).toBeVisible();
    await expect(markup).toHaveAttribute("aria-invalid", "true");
    await markup.fill("950");
    await gnv.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Grandi Navi Veloci: settings saved.")).toBeVisible();
    // The directory now has a connector for GNV, and so a breaker.
    await expect(gnv.getByTestId("breaker-state")).toHaveText("Breaker closed: calls go through");
    await expect(markup).toHaveValue("950");
    expect((await sql<{ m: number }[]>`select markup_bps as m from operators where code = 'GNV'`)[0]!.m).toBe(
      950,
    );

    // Saving reloaded the app's directory, so the test goes to the address now configured.
    const fromEnv = (await gnv.textContent())?.includes("(from OPERATOR_GNV_URL)");
    await gnv.getByRole("button", { name: "Test connection to GNV" }).click();
    const result = gnv.getByTestId("test-result-GNV");
    await expect(result).toContainText(fromEnv ? /OK\. Connected in \d+ ms/ : /Failed\. .*unavailable/, {
      timeout: 10_000,
    });
    await expect(gnv.getByRole("button", { name: "Test connection to GNV" })).toBeEnabled();

    // Both actions are in the audit log.
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit" }).click();
    await expect(page.getByRole("row", { name: /operators\.update/ }).first()).toContainText("950");
    await expect(page.getByRole("row", { name: /operators\.testConnection/ }).first()).toContainText("GNV");
  } finally {
    // Back as it was, the markup through the API so the app's directory reloads the row too (later
    // specs may search GNV); a stack that had GNV own gets it back only after that reload.
    await sql`update operators set base_url = coalesce(${before!.baseUrl}, base_url) where code = 'GNV'`;
    await trpcCall(page.request, "admin.operators.update", { code: "GNV", markupBps: before!.markupBps });
    await sql`update operators set kind = ${before!.kind}, base_url = ${before!.baseUrl} where code = 'GNV'`;
    await sql.end();
  }
});
