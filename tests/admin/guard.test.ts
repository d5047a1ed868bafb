import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../src/server/api/root";
import { createAdminSession } from "../../src/server/features/auth/session";
import { createTestDb, type TestDb } from "../helpers/db";
import { adminCaller, callerFor, cookieHeaders, makeAdmin } from "./admin-helpers";

/**
 * Issue 6: every `admin.*` procedure refuses callers without a valid session. The list comes from the
 * router itself, so a procedure added tomorrow is covered without touching this file.
 */

/** The only admin procedures anyone may call without a session. */
const PUBLIC = new Set(["admin.auth.login"]);

// At runtime `_def.procedures` is flat, keyed by the full dotted path (its static type is the nested record).
const adminProcedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
)
  .filter(([path]) => path.startsWith("admin."))
  .map(([path, p]) => ({ path, type: p._def.type }));
const guarded = adminProcedures.filter((p) => !PUBLIC.has(p.path));

type AnyCaller = Record<string, unknown>;
function procedureAt(caller: unknown, path: string): (input?: unknown) => Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((o, k) => (o as AnyCaller)[k], caller);
  if (typeof fn !== "function") throw new Error(`no procedure at ${path}`);
  return fn as (input?: unknown) => Promise<unknown>;
}

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
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
    ]) {
      expect(paths).toContain(p);
    }
    expect(guarded.length).toBeGreaterThanOrEqual(25);
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
      const admin = await makeAdmin(t.db, "expired");
      // Created nine hours ago with the 8 h lifetime: it ended an hour ago.
      const s = await createAdminSession(t.db, admin.id, new Date(Date.now() - 9 * 3600_000));
      expect(s.expiresAt.getTime()).toBeLessThan(Date.now());
      return cookieHeaders(s.token);
    },
  ],
])("with %s", (_label, headers) => {
  it.each(guarded.map((p) => [p.path, p.type]))("%s (%s) answers UNAUTHORIZED", async (path) => {
    const { caller } = callerFor({ db: t.db }, await headers());
    // `{}` is not valid input for most procedures: getting UNAUTHORIZED rather than BAD_REQUEST also shows
    // the session check runs before input parsing, so nothing about the input leaks to strangers.
    await expect(procedureAt(caller, path)({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("a valid session", () => {
  it("is accepted (the refusals above are about the session, not something else)", async () => {
    const { caller, admin } = await adminCaller({ db: t.db });
    await expect(caller.admin.auth.me()).resolves.toMatchObject({ email: admin.email });
    await expect(caller.admin.audit.list({})).resolves.toMatchObject({ page: 1 });
    // Past the session check, bad input is now what fails.
    await expect(procedureAt(caller, "admin.schedule.setCapacity")({})).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("stops working after logout", async () => {
    const { caller } = await adminCaller({ db: t.db });
    await caller.admin.auth.logout();
    await expect(caller.admin.auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
