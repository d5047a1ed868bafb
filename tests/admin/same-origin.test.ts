import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "@/server/services";
import { createTestDb, type TestDb } from "../helpers/db";
import { testServices, useAsAppServices } from "../helpers/services";

/**
 * Mutations accept only JSON requests from the app's own origin (a cross-site form post is refused). The
 * route handler is called directly with real `Request`s; it builds its context like in production, from
 * the process's Services (`appServices()`), which are this file's.
 */

const APP = "http://localhost:3000";
let t: TestDb;
let svc: Services;
let restoreAppServices: () => void;
let POST: (req: Request) => Promise<Response>;
let mod: typeof import("@/server/features/security/same-origin");
let session: typeof import("@/server/features/auth/session");
let token: string;

beforeAll(async () => {
  t = await createTestDb();
  svc = testServices({ db: t.db });
  restoreAppServices = useAsAppServices(svc);
  ({ POST } = await import("@/app/api/trpc/[trpc]/route"));
  mod = await import("@/server/features/security/same-origin");
  session = await import("@/server/features/auth/session");
  const { createAdminUser } = await import("@/server/features/auth/login");
  const admin = await createAdminUser(svc, {
    email: "csrf@traverse.test",
    password: "a long enough password",
  });
  token = (await session.createAdminSession(t.db, admin.id, new Date())).token;
});
afterAll(async () => {
  restoreAppServices();
  await t.destroy();
});

function post(path: string, body: BodyInit, headers: Record<string, string>) {
  return new Request(`${APP}/api/trpc/${path}`, {
    method: "POST",
    body,
    headers: { host: "localhost:3000", cookie: `${"traverse_admin"}=${token}`, ...headers },
  });
}

async function stillSignedIn() {
  return (await session.getAdminSession(svc, new Headers({ cookie: `traverse_admin=${token}` }))) !== null;
}

describe("assertSameOriginJson", () => {
  const h = (o: Record<string, string>) => new Headers(o);
  const refused = (headers: Headers) => () => mod.assertSameOriginJson(headers, APP);

  it("accepts the app's own JSON requests and server-side callers", () => {
    expect(
      refused(h({ "content-type": "application/json", origin: APP, host: "localhost:3000" })),
    ).not.toThrow();
    expect(
      refused(h({ "content-type": "application/json; charset=utf-8", "sec-fetch-site": "same-origin" })),
    ).not.toThrow();
    // No Origin, no Sec-Fetch-Site: not a browser, so no victim's cookie to abuse.
    expect(refused(h({ "content-type": "application/json" }))).not.toThrow();
    // Reached through another name for the same server (127.0.0.1 in dev): Origin matches Host.
    expect(
      refused(
        h({ "content-type": "application/json", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }),
      ),
    ).not.toThrow();
  });

  it.each([
    ["a urlencoded form", { "content-type": "application/x-www-form-urlencoded", origin: APP }],
    ["text/plain", { "content-type": "text/plain", origin: APP }],
    ["a multipart form", { "content-type": "multipart/form-data; boundary=x", origin: APP }],
    ["no content type", { origin: APP }],
    ["JSON from another origin", { "content-type": "application/json", origin: "https://evil.example" }],
    [
      "JSON from a look-alike origin",
      { "content-type": "application/json", origin: "http://localhost:3000.evil.example" },
    ],
    ["JSON with Origin: null", { "content-type": "application/json", origin: "null" }],
    ["JSON marked cross-site", { "content-type": "application/json", "sec-fetch-site": "cross-site" }],
    [
      "JSON marked same-site (a sibling subdomain)",
      { "content-type": "application/json", "sec-fetch-site": "same-site" },
    ],
  ])("refuses %s", (_label, headers) => {
    expect(refused(h({ host: "localhost:3000", ...headers }))).toThrow(
      expect.objectContaining({ code: "FORBIDDEN" }),
    );
  });
});

describe("POST /api/trpc (the route handler)", () => {
  it("refuses a cross-site urlencoded form post to a mutation with 403, and the mutation does not run", async () => {
    const res = await POST(
      post("admin.auth.logout", "a=1", {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      }),
    );
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.data.code).toBe("FORBIDDEN");
    expect(body.error.json.message).toMatch(/refused/);
    expect(await stillSignedIn()).toBe(true);
  });

  it("refuses a cross-site text/plain post (what a form with enctype=text/plain sends)", async () => {
    const res = await POST(
      post("admin.auth.logout", JSON.stringify({ json: null }), {
        "content-type": "text/plain;charset=UTF-8",
        origin: "https://evil.example",
      }),
    );
    expect(res.status).toBe(403);
    expect(await stillSignedIn()).toBe(true);
  });

  it("refuses a multipart form post, which tRPC itself would otherwise accept for mutations", async () => {
    const form = new FormData();
    form.set("x", "1");
    const res = await POST(
      new Request(`${APP}/api/trpc/admin.auth.logout`, {
        method: "POST",
        body: form,
        headers: {
          host: "localhost:3000",
          cookie: `traverse_admin=${token}`,
          origin: "https://evil.example",
        },
      }),
    );
    expect(res.status).toBe(403);
    expect(await stillSignedIn()).toBe(true);
  });

  it("answers batched calls with one tRPC-shaped error per call", async () => {
    const res = await POST(
      post("admin.auth.logout,admin.cache.clearAll?batch=1", "{}", {
        "content-type": "text/plain",
        origin: "https://evil.example",
      }),
    );
    expect(res.status).toBe(403);
    const body = (await res.json()) as unknown[];
    expect(body).toHaveLength(2);
  });

  it("lets the app's own JSON mutation through (sign-in sets the cookie; sign-out ends the session)", async () => {
    const login = await POST(
      post(
        "admin.auth.login",
        JSON.stringify({ json: { email: "csrf@traverse.test", password: "a long enough password" } }),
        {
          "content-type": "application/json",
          origin: APP,
          "sec-fetch-site": "same-origin",
          "x-forwarded-for": "192.0.2.10",
        },
      ),
    );
    expect(login.status).toBe(200);
    expect(login.headers.get("set-cookie")).toMatch(/^traverse_admin=.+HttpOnly; SameSite=Lax/);

    const logout = await POST(
      post("admin.auth.logout", JSON.stringify({ json: null }), {
        "content-type": "application/json",
        origin: APP,
        "sec-fetch-site": "same-origin",
      }),
    );
    expect(logout.status).toBe(200);
    expect(logout.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect(await stillSignedIn()).toBe(false);
  });
});
