import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUsers, auditLog, loginAttempts } from "../../src/server/db/schema/admin";
import {
  createAdminUser,
  LOGIN_FAILED_MESSAGE,
  LOGIN_POLICY,
  login,
} from "../../src/server/features/auth/login";
import { getAdminSession, SESSION_COOKIE } from "../../src/server/features/auth/session";
import { createTestDb, type TestDb } from "../helpers/db";
import { callerFor, cookieHeaders, makeAdmin } from "./admin-helpers";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.destroy());

let ipSeq = 0;
/** Each test signs in from its own address so the per-IP limit of one test never trips another. */
const freshIp = () => `198.51.100.${++ipSeq}`;

async function failure(p: Promise<unknown>) {
  const e = (await p.then(
    () => null,
    (err: unknown) => err,
  )) as { code?: string; message?: string } | null;
  expect(e, "expected the sign-in to be refused").not.toBeNull();
  return { code: e!.code, message: e!.message };
}

describe("admin login", () => {
  it("signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie", async () => {
    const admin = await makeAdmin(t.db);
    const { caller, resHeaders } = callerFor({ db: t.db }, new Headers(), freshIp());
    const me = await caller.admin.auth.login({ email: admin.email.toUpperCase(), password: admin.password });
    expect(me.email).toBe(admin.email);
    const cookie = resHeaders.get("set-cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{40,};`));
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    // The token is only in the cookie, never in the response body.
    expect(JSON.stringify(me)).not.toContain(cookie.split(";")[0]!.split("=")[1]!);
    const token = cookie.split(";")[0]!.split("=")[1]!;
    expect(await getAdminSession(t.db, cookieHeaders(token))).toMatchObject({ email: admin.email });
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, "auth.login"));
    expect(audit?.adminUserId).toBe(admin.id);
  });

  it("gives the same answer for a wrong password, an unknown email and a locked account", async () => {
    const admin = await makeAdmin(t.db);
    const ip = freshIp();
    const wrong = await failure(login(t.db, { email: admin.email, password: "not the password", ip }));
    const unknown = await failure(
      login(t.db, { email: "nobody-here@traverse.test", password: "whatever-password", ip }),
    );
    const locked = await makeAdmin(t.db, "locked");
    await t.db
      .update(adminUsers)
      .set({ lockedUntil: new Date(Date.now() + 10 * 60_000) })
      .where(eq(adminUsers.id, locked.id));
    // Even the right password is refused while locked, with the same words.
    const lockedOut = await failure(login(t.db, { email: locked.email, password: locked.password, ip }));
    for (const f of [wrong, unknown, lockedOut]) {
      expect(f).toEqual({ code: "UNAUTHORIZED", message: LOGIN_FAILED_MESSAGE });
    }
  });

  it("the same message reaches the client through tRPC", async () => {
    const admin = await makeAdmin(t.db);
    const { caller, resHeaders } = callerFor({ db: t.db }, new Headers(), freshIp());
    const a = await failure(caller.admin.auth.login({ email: admin.email, password: "nope-nope-nope" }));
    const b = await failure(
      caller.admin.auth.login({ email: "ghost@traverse.test", password: "nope-nope-nope" }),
    );
    expect(a).toEqual({ code: "UNAUTHORIZED", message: LOGIN_FAILED_MESSAGE });
    expect(b).toEqual(a);
    expect(resHeaders.get("set-cookie")).toBeNull();
  });

  it(`locks an account after ${LOGIN_POLICY.lockAfterFailures} failures, then lets it in after ${LOGIN_POLICY.lockMinutes} minutes`, async () => {
    const admin = await makeAdmin(t.db);
    const start = new Date();
    for (let i = 0; i < LOGIN_POLICY.lockAfterFailures; i++) {
      await failure(login(t.db, { email: admin.email, password: `guess-${i}`, ip: freshIp() }, start));
    }
    const [row] = await t.db.select().from(adminUsers).where(eq(adminUsers.id, admin.id));
    expect(row!.lockedUntil!.getTime()).toBe(start.getTime() + LOGIN_POLICY.lockMinutes * 60_000);
    // Locked: the right password fails now …
    expect(
      await failure(login(t.db, { email: admin.email, password: admin.password, ip: freshIp() }, start)),
    ).toEqual({
      code: "UNAUTHORIZED",
      message: LOGIN_FAILED_MESSAGE,
    });
    // … and works once the lock is over, which also resets the counter.
    const later = new Date(start.getTime() + (LOGIN_POLICY.lockMinutes + 1) * 60_000);
    const ok = await login(t.db, { email: admin.email, password: admin.password, ip: freshIp() }, later);
    expect(ok.admin.email).toBe(admin.email);
    const [after] = await t.db.select().from(adminUsers).where(eq(adminUsers.id, admin.id));
    expect(after).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it("rate-limits attempts per account, even for an email that is not an admin", async () => {
    const email = `not-an-admin-${Date.now()}@traverse.test`;
    const now = new Date();
    const codes: string[] = [];
    for (let i = 0; i < LOGIN_POLICY.perAccount.limit + 2; i++) {
      const f = await failure(login(t.db, { email, password: `guess-${i}`, ip: freshIp() }, now));
      codes.push(f.code!);
    }
    expect(codes.slice(0, LOGIN_POLICY.perAccount.limit).every((c) => c === "UNAUTHORIZED")).toBe(true);
    expect(codes.slice(LOGIN_POLICY.perAccount.limit)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
  });

  it("rate-limits attempts per IP across accounts, and a good password does not get past it", async () => {
    const ip = freshIp();
    const admin = await makeAdmin(t.db);
    const now = new Date();
    for (let i = 0; i < LOGIN_POLICY.perIp.limit; i++) {
      await failure(login(t.db, { email: `spray-${i}@traverse.test`, password: "Winter2025!!", ip }, now));
    }
    const f = await failure(login(t.db, { email: admin.email, password: admin.password, ip }, now));
    expect(f.code).toBe("TOO_MANY_REQUESTS");
    // Another address is not affected.
    await expect(
      login(t.db, { email: admin.email, password: admin.password, ip: freshIp() }, now),
    ).resolves.toMatchObject({ admin: { email: admin.email } });
  });

  it("records failures without storing the email or IP in clear", async () => {
    const ip = "192.0.2.99";
    const email = "clear-text-check@traverse.test";
    await failure(login(t.db, { email, password: "wrong-password", ip }));
    const rows = await t.db.select().from(loginAttempts);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.key.includes(ip) || r.key.includes(email))).toBe(false);
    const stored = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from rate_limits where key like ${`%${email}%`} or key like ${`%${ip}%`}`,
    );
    expect(Number([...stored][0]?.n)).toBe(0);
  });
});

describe("createAdminUser", () => {
  it("refuses short passwords and duplicates, stores an argon2id hash", async () => {
    await expect(createAdminUser(t.db, "short@traverse.test", "elevenchars")).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at least 12"),
    });
    await expect(createAdminUser(t.db, "not-an-email", "a long enough password")).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const a = await createAdminUser(t.db, "  New.Admin@Traverse.test ", "a long enough password");
    expect(a.email).toBe("new.admin@traverse.test");
    await expect(
      createAdminUser(t.db, "new.admin@traverse.test", "another long password"),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const [row] = await t.db.select().from(adminUsers).where(eq(adminUsers.id, a.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
  });
});
