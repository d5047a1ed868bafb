import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { adminSessions } from "@/server/db/schema/admin";
import { createAdminSession, hashToken, SESSION_IDLE_MS } from "@/server/features/auth/session";
import { createTestDb, type TestDb } from "../helpers/db";
import { adminCaller, callerFor, cookieHeaders, makeAdmin } from "./admin-helpers";
import type { Services } from "@/server/services";
import { testServices } from "../helpers/services";

/**
 * Every `admin.*` procedure refuses callers without a valid session, and every one but a short, explicit
 * list refuses check-in staff. The list of procedures comes from the router itself, so a procedure added
 * tomorrow is covered without touching this file — and is admin-only unless added to STAFF below.
 */

/** The only admin procedures anyone may call without a session. */
const PUBLIC = new Set(["admin.auth.login"]);
/** What check-in staff may call: their own session and the check-in page. Everything else needs `admin`. */
const STAFF = new Set([
  "admin.auth.me",
  "admin.auth.logout",
  "admin.auth.logoutEverywhere",
  "admin.checkin.sailings",
]);

// At runtime `_def.procedures` is flat, keyed by the full dotted path (its static type is the nested record).
const adminProcedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
)
  .filter(([path]) => path.startsWith("admin."))
  .map(([path, p]) => ({ path, type: p._def.type }));
const guarded = adminProcedures.filter((p) => !PUBLIC.has(p.path));
const adminOnly = guarded.filter((p) => !STAFF.has(p.path));

type AnyCaller = Record<string, unknown>;
function procedureAt(caller: unknown, path: string): (input?: unknown) => Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((o, k) => (o as AnyCaller)[k], caller);
  if (typeof fn !== "function") throw new Error(`no procedure at ${path}`);
  return fn as (input?: unknown) => Promise<unknown>;
}

let t: TestDb;
let svc: Services;
beforeAll(async () => {
  t = await createTestDb();
  svc = testServices({ db: t.db });
});
afterAll(() => t.destroy());

describe("admin router enumeration", () => {
  it("finds the whole admin surface (so an empty walk cannot pass the tests below)", () => {
    const paths = adminProcedures.map((p) => p.path);
    for (const p of [
      "admin.auth.login",
      "admin.auth.logout",
      "admin.auth.me",
      "admin.schedule.list",
      "admin.schedule.cancelSailing",
      "admin.pricing.setFare",
      "admin.bookings.refund",
      "admin.cache.clearAll",
      "admin.emails.resend",
      "admin.jobs.retry",
      "admin.audit.list",
      "admin.users.list",
      "admin.users.unlock",
      "admin.users.logoutEverywhere",
      "admin.checkin.sailings",
      "admin.operators.list",
      "admin.operators.update",
      "admin.operators.testConnection",
    ]) {
      expect(paths).toContain(p);
    }
    expect(guarded.length).toBeGreaterThanOrEqual(25);
    for (const p of STAFF) expect(paths).toContain(p);
    expect(adminOnly.length).toBe(guarded.length - STAFF.size);
    expect(guarded.some((p) => p.type === "mutation")).toBe(true);
    expect(guarded.some((p) => p.type === "query")).toBe(true);
  });
});

describe.each([
  ["no cookie", async () => cookieHeaders()],
  ["an unknown session token", async () => cookieHeaders("not-a-real-session-token")],
  [
    "an expired session",
    async () => {
      const admin = await makeAdmin(svc, "expired");
      // Created nine hours ago with the 8 h lifetime: it ended an hour ago.
      const s = await createAdminSession(t.db, admin.id, new Date(Date.now() - 9 * 3600_000));
      expect(s.expiresAt.getTime()).toBeLessThan(Date.now());
      return cookieHeaders(s.token);
    },
  ],
  [
    "a session idle for longer than the idle timeout",
    async () => {
      const admin = await makeAdmin(svc, "idle");
      const s = await createAdminSession(t.db, admin.id, new Date());
      const quiet = new Date(Date.now() - SESSION_IDLE_MS - 60_000);
      await t.db
        .update(adminSessions)
        .set({ lastSeenAt: quiet })
        .where(eq(adminSessions.tokenHash, hashToken(s.token)));
      return cookieHeaders(s.token);
    },
  ],
])("with %s", (_label, headers) => {
  it.each(guarded.map((p) => [p.path, p.type]))("%s (%s) answers UNAUTHORIZED", async (path) => {
    const { caller } = callerFor(svc, await headers());
    // `{}` is not valid input for most procedures: getting UNAUTHORIZED rather than BAD_REQUEST also shows
    // the session check runs before input parsing, so nothing about the input leaks to strangers.
    await expect(procedureAt(caller, path)({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("check-in staff", () => {
  it.each(adminOnly.map((p) => [p.path, p.type]))("%s (%s) answers FORBIDDEN, saying why", async (path) => {
    const { caller } = await adminCaller(svc, "quay", "checkin");
    const e = await procedureAt(
      caller,
      path,
    )({}).then(
      () => null,
      (err: unknown) => err as { code: string; message: string },
    );
    expect(e).toMatchObject({
      code: "FORBIDDEN",
      message: "This needs an admin; you are signed in as check-in staff. Ask an admin if you need it.",
    });
  });

  it.each([...STAFF].map((p) => [p]))("may call %s", async (path) => {
    // A fresh session each time: two of these end it.
    const { caller, admin } = await adminCaller(svc, "quay", "checkin");
    const result = await procedureAt(caller, path)(undefined);
    if (path === "admin.auth.me") expect(result).toMatchObject({ email: admin.email, role: "checkin" });
    if (path === "admin.checkin.sailings") expect(Array.isArray(result)).toBe(true);
    if (path === "admin.auth.logoutEverywhere") expect(result).toEqual({ sessionsEnded: 1 });
  });

  it("the FORBIDDEN above is about the role: the same calls as an admin get past the guard", async () => {
    const { caller } = await adminCaller(svc);
    await expect(caller.admin.users.list()).resolves.toEqual(expect.any(Array));
    await expect(procedureAt(caller, "admin.schedule.setCapacity")({})).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("a valid session", () => {
  it("is accepted (the refusals above are about the session, not something else)", async () => {
    const { caller, admin } = await adminCaller(svc);
    await expect(caller.admin.auth.me()).resolves.toMatchObject({ email: admin.email });
    await expect(caller.admin.audit.list({})).resolves.toMatchObject({ page: 1 });
    // Past the session check, bad input is now what fails.
    await expect(procedureAt(caller, "admin.schedule.setCapacity")({})).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("stops working after logout", async () => {
    const { caller } = await adminCaller(svc);
    await caller.admin.auth.logout();
    await expect(caller.admin.auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
