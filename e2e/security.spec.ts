import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import postgres from "postgres";
import { hashPassword } from "@/server/features/auth/password";
import { pollUntil } from "../tests/support/poll";
import { ManagedProcess } from "../tests/support/process";
import { E2E } from "./fixtures/stack";
import { trpcCall } from "./fixtures/traveller";
import { ADMIN } from "./fixtures/admin";

/**
 * Security headers and the CSP in a real browser against the production build, and production mode itself
 * (HSTS, the `__Host-` session cookie) on a second server started with `npm start` and a clean production
 * configuration. The e2e stack runs in test mode (it uses emulators), so production needs its own server.
 */

function tunisDate(daysAhead: number): string {
  const today = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Africa/Tunis",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + daysAhead)).toISOString().slice(0, 10);
}

/**
 * Collects every CSP violation the page reports, both ways Chromium tells: the `securitypolicyviolation`
 * event (a script that runs before the page's own reports it straight to the test, so navigations lose
 * nothing) and the console error it prints.
 */
async function watchCsp(page: Page): Promise<() => string[]> {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to (load|execute|apply|frame|connect)/i.test(msg.text())) {
      seen.push(`console on ${page.url()}: ${msg.text()}`);
    }
  });
  await page.exposeFunction("__reportCspViolation", (v: string) => {
    seen.push(v);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (v: string) => void })
        .__reportCspViolation;
      report(
        `${location.href}: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  return () => seen;
}

test("pages and API answers carry the security headers, with a fresh nonce Next puts on its scripts", async ({
  request,
}) => {
  const nonces: string[] = [];
  for (const path of ["/en", "/admin/login"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    const h = res.headers();
    const csp = h["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).not.toContain("unsafe-eval");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"]).toContain("camera=()");
    // The e2e stack runs in test mode over plain http: no HSTS here (production is checked below).
    expect(h["strict-transport-security"]).toBeUndefined();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    nonces.push(nonce);
    // Every script Next renders carries this response's nonce, and there is at least one.
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const s of scripts) expect(s, `${path}: ${s}`).toContain(`nonce="${nonce}"`);
  }
  expect(new Set(nonces).size).toBe(2);

  for (const path of ["/api/health", "/api/trpc/search.ports"]) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h["content-security-policy"], path).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
  }
});

test("no CSP violation anywhere a traveller or an admin goes (charts, toasts and all)", async ({ page }) => {
  const violations = await watchCsp(page);
  // Control: an inline event handler is exactly what the policy forbids, and the watcher must see it.
  await page.goto("/en");
  await page.evaluate(() => {
    document.body.setAttribute("onclick", "window.__inlineRan = true");
    document.body.click();
  });
  await expect
    .poll(() => violations().length, { message: "the watcher saw the forbidden handler" })
    .toBeGreaterThan(0);
  expect(
    await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan),
  ).toBeUndefined();
  violations().length = 0;
  for (const locale of ["en", "fr", "ar"]) {
    await page.goto(`/${locale}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  // Results, a choice, and the booking form: client components that only work if their scripts ran.
  await page.goto(`/en/search?from=TUN&to=TPS&date=${tunisDate(4)}&adults=1&children=0&infants=0`);
  const outbound = page.getByRole("region", { name: /^Outbound/ });
  await outbound.getByRole("radio").first().check();
  await page
    .getByRole("region", { name: "Your trip" })
    .getByRole("link", { name: "Continue to booking" })
    .click();
  await expect(page).toHaveURL(/\/en\/book\?/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/en/manage");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/en/no-such-page");
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/schedules$/);
  const nav = page.getByRole("navigation", { name: "Admin" });
  for (const name of [
    "Prices",
    "Bookings",
    "Cache",
    "Emails",
    "Jobs",
    "Audit",
    "Admins",
    "Check-in",
    "Schedules",
  ]) {
    await nav.getByRole("link", { name, exact: true }).click();
    await expect(nav.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  // The cache page draws a chart; wait for it so its styles and scripts have run.
  await nav.getByRole("link", { name: "Cache", exact: true }).click();
  await expect(page.locator(".recharts-wrapper").first()).toBeVisible();
  expect(violations()).toEqual([]);
});

test("the Admins page shows roles and sign-in delays; the check-in page scans through /api/checkin", async ({
  page,
}) => {
  const violations = await watchCsp(page);
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/schedules$/);
  await page.goto("/admin/admins");
  const row = page.getByRole("row", { name: new RegExp(ADMIN.email) });
  await expect(row).toContainText("Admin");
  await expect(row.getByRole("button", { name: `Sign out ${ADMIN.email} everywhere` })).toBeEnabled();

  // A sailing leaving in two hours (boarding open), made through the admin API like the UI would (the
  // page's request context carries the admin's session cookie).
  const trpc = async <T>(path: string, input?: unknown): Promise<T> =>
    (await trpcCall<T>(page.request, path, input)).data;
  const routes =
    await trpc<{ id: number; from: { code: string }; to: { code: string }; operator: { code: string } }[]>(
      "admin.schedule.routes",
    );
  const vessels = await trpc<{ id: number; name: string }[]>("admin.schedule.vessels");
  // An own operator's route: the schedule editor refuses connected operators' routes.
  const route = routes.find(
    (r) => r.from.code === "TUN" && r.to.code === "MRS" && r.operator.code === "CTN",
  )!;
  const local = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Africa/Tunis",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(Date.now() + 2 * 3600_000))
      .map((p) => [p.type, p.value]),
  );
  const created = await trpc<{ id: number }>("admin.schedule.create", {
    routeId: route.id,
    vesselId: vessels.find((v) => v.name === "Tanit")!.id,
    departureDate: `${local.year}-${local.month}-${local.day}`,
    departureTime: `${local.hour}:${local.minute}`,
  });

  await page.goto("/admin/checkin");
  const sailing = page.getByLabel("Sailing being boarded");
  const option = sailing.locator(`option[value="${created.id}"]`);
  await expect(option).toBeAttached();
  await expect(option).not.toContainText("not open");
  await sailing.selectOption(String(created.id));
  await page.getByLabel("Boarding code", { exact: true }).fill("not-a-boarding-code");
  await page.getByRole("button", { name: "Check in" }).click();
  // The browser's own same-origin JSON request got past the route's guards and was judged on the code.
  await expect(page.getByRole("alert").filter({ hasText: "Do not board" })).toContainText(
    "This is not a Traverse boarding code.",
  );
  expect(violations()).toEqual([]);
});

test("check-in staff see only the check-in page, and the server refuses them the rest", async ({ page }) => {
  const email = `quay-${Date.now()}@traverse.test`;
  const sql = postgres(E2E.databaseUrl, { max: 1, onnotice: () => {} });
  await sql`insert into admin_users (email, role, password_hash)
    values (${email}, 'checkin', ${await hashPassword("quay side password")})`;
  await sql.end();

  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("quay side password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/checkin$/);
  const nav = page.getByRole("navigation", { name: "Admin" });
  await expect(nav.getByRole("link")).toHaveText(["Check-in"]);
  await expect(page.getByRole("banner")).toContainText("(check-in)");
  // An admin page typed in the address bar leads back to check-in …
  await page.goto("/admin/bookings");
  await expect(page).toHaveURL(/\/admin\/checkin$/);
  // … and the API behind it refuses, saying why.
  const res = await page.request.get("/api/trpc/admin.users.list");
  expect(res.status()).toBe(403);
  expect((await res.json()).error.json.message).toBe(
    "This needs an admin; you are signed in as check-in staff. Ask an admin if you need it.",
  );
});

test.describe("production mode (`npm start` without NODE_ENV, clean configuration)", () => {
  const port = E2E.port + 60;
  const base = `http://127.0.0.1:${port}`;
  const dbName = `traverse_e2e_prodmode_${E2E.portOffset}`;
  // Nothing inherited but PATH and HOME: no NODE_ENV, no emulator, exactly what production would get.
  const server = new ManagedProcess("prod", "npm", ["start", "--", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      DATABASE_URL: E2E.databaseNamed(dbName),
      APP_URL: "https://traverse.example",
      STRIPE_SECRET_KEY: "sk_live_51NotARealKeyButShapedLikeOne",
      STRIPE_WEBHOOK_SECRET: "whsec_NotARealSigningSecret0123456789",
      RESEND_API_KEY: "re_NotARealKey_0123456789",
      TICKET_SIGNING_KEY: randomBytes(32).toString("hex"),
    } as unknown as NodeJS.ProcessEnv,
    ready: async (p) => {
      const page = async () => {
        if (!p.running) throw new Error("npm start exited");
        return fetch(`${base}/admin/login`).then(
          (r) => r.status,
          () => 0,
        );
      };
      await pollUntil(page, (status) => status === 200, {
        what: "the production server to answer /admin/login",
        timeoutMs: 180_000,
        intervalMs: 500,
      });
    },
  });

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    const admin = postgres(E2E.databaseNamed("postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.unsafe(`create database "${dbName}"`);
    await admin.end();
    await server.start();
    expect(server.lastLines(200)).toContain(
      "app: production mode; start-up checks passed, migrations applied",
    );
    const sql = postgres(E2E.databaseNamed(dbName), { max: 1, onnotice: () => {} });
    await sql`insert into admin_users (email, password_hash) values ('ops@traverse.example', ${await hashPassword("a production password")})`;
    await sql.end();
  });

  test.afterAll(async () => {
    await server.stop();
    await server.close();
    const admin = postgres(E2E.databaseNamed("postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  });

  test("sends HSTS and upgrade-insecure-requests, and a __Host- Secure session cookie", async ({
    request,
  }) => {
    const page = await request.get(`${base}/admin/login`);
    expect(page.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(page.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
    const api = await request.get(`${base}/api/health`);
    expect(api.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");

    const login = await request.post(`${base}/api/trpc/admin.auth.login`, {
      data: { json: { email: "ops@traverse.example", password: "a production password" } },
      headers: { "content-type": "application/json" },
    });
    expect(login.status()).toBe(200);
    const cookie = login.headers()["set-cookie"] ?? "";
    expect(cookie).toMatch(
      /^__Host-traverse_admin=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Secure; Expires=/,
    );
    expect(cookie).not.toMatch(/Domain=/i);
    // The plain name means nothing in production.
    const token = cookie.split(";")[0]!.split("=")[1]!;
    const plain = await request.get(`${base}/api/trpc/admin.auth.me`, {
      headers: { cookie: `traverse_admin=${token}` },
    });
    expect(plain.status()).toBe(401);
    const hosted = await request.get(`${base}/api/trpc/admin.auth.me`, {
      headers: { cookie: `__Host-traverse_admin=${token}` },
    });
    expect(hosted.status()).toBe(200);
  });
});
