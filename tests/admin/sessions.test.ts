import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminSessions, auditLog } from "@/server/db/schema/admin";
import { requireStaff } from "@/server/features/auth/guard";
import {
  createAdminSession,
  getAdminSession,
  hashToken,
  SESSION_IDLE_MS,
  SESSION_TOUCH_MS,
  SESSION_TTL_MS,
} from "@/server/features/auth/session";
import { svcAt } from "../helpers/services";
import { callerFor, cookieHeaders, makeAdmin } from "./admin-helpers";
import { testDbForFile } from "../helpers/per-file";

const { t, svc } = testDbForFile();

const later = (base: Date, ms: number) => new Date(base.getTime() + ms);
const MIN = 60_000;

async function lastSeen(token: string): Promise<Date> {
  const [row] = await t.db
    .select({ at: adminSessions.lastSeenAt })
    .from(adminSessions)
    .where(eq(adminSessions.tokenHash, hashToken(token)));
  if (!row) throw new Error("session row is gone");
  return row.at;
}

describe("idle timeout", () => {
  it(`ends a session after ${SESSION_IDLE_MS / MIN} minutes without a request`, async () => {
    const admin = await makeAdmin(svc);
    const t0 = new Date();
    const s = await createAdminSession(t.db, admin.id, t0);
    const h = cookieHeaders(s.token);
    expect(await getAdminSession(svcAt(svc, later(t0, SESSION_IDLE_MS - 1000)), h)).toMatchObject({
      email: admin.email,
    });
    // That read was activity: the quiet spell starts again from it.
    expect(await getAdminSession(svcAt(svc, later(t0, 2 * SESSION_IDLE_MS - 2000)), h)).not.toBeNull();
    // A second session left alone goes idle and is refused, by the guard too.
    const idle = await createAdminSession(t.db, admin.id, t0);
    const gone = later(t0, SESSION_IDLE_MS + 1000);
    expect(await getAdminSession(svcAt(svc, gone), cookieHeaders(idle.token))).toBeNull();
    await expect(requireStaff(svcAt(svc, gone), cookieHeaders(idle.token), ["admin"])).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("activity slides the idle timeout, writing at most once a minute", async () => {
    const admin = await makeAdmin(svc);
    const t0 = new Date();
    const s = await createAdminSession(t.db, admin.id, t0);
    const h = cookieHeaders(s.token);
    // Requests within the first minute read only: last_seen_at stays put.
    await getAdminSession(svcAt(svc, later(t0, 10_000)), h);
    await getAdminSession(svcAt(svc, later(t0, SESSION_TOUCH_MS - 1000)), h);
    expect((await lastSeen(s.token)).getTime()).toBe(t0.getTime());
    // After a minute, one request moves it; a burst of parallel ones writes the same single value.
    const t1 = later(t0, SESSION_TOUCH_MS + 5000);
    await Promise.all(Array.from({ length: 5 }, () => getAdminSession(svcAt(svc, t1), h)));
    expect((await lastSeen(s.token)).getTime()).toBe(t1.getTime());
    // Kept alive by a request every 20 minutes, it lives past the idle timeout many times over …
    let now = t1;
    for (let i = 0; i < 10; i++) {
      now = later(now, 20 * MIN);
      expect(await getAdminSession(svcAt(svc, now), h), `request ${i + 1}`).not.toBeNull();
    }
    // … but never past its absolute lifetime.
    expect(await getAdminSession(svcAt(svc, later(t0, SESSION_TTL_MS + 1000)), h)).toBeNull();
  });

  it("never slides a session past its end, even when the activity comes in its last minute", async () => {
    const admin = await makeAdmin(svc);
    const t0 = new Date();
    const s = await createAdminSession(t.db, admin.id, t0);
    const h = cookieHeaders(s.token);
    for (let m = 20; m < SESSION_TTL_MS / MIN; m += 20)
      await getAdminSession(svcAt(svc, later(t0, m * MIN)), h);
    const lastSecond = later(t0, SESSION_TTL_MS - 500);
    expect(await getAdminSession(svcAt(svc, lastSecond), h)).not.toBeNull();
    expect((await lastSeen(s.token)).getTime()).toBeLessThanOrEqual(s.expiresAt.getTime());
  });
});

describe("sign out everywhere", () => {
  it("ends every session of the signed-in staff member and clears the cookie, audited", async () => {
    const admin = await makeAdmin(svc);
    const other = await makeAdmin(svc, "other");
    const phone = await createAdminSession(t.db, admin.id, new Date());
    const laptop = await createAdminSession(t.db, admin.id, new Date());
    const colleague = await createAdminSession(t.db, other.id, new Date());
    const { caller, resHeaders } = callerFor(svc, cookieHeaders(laptop.token));
    expect(await caller.admin.auth.logoutEverywhere()).toEqual({ sessionsEnded: 2 });
    expect(resHeaders.get("set-cookie")).toMatch(/^traverse_admin=; .*Max-Age=0/);
    expect(await getAdminSession(svc, cookieHeaders(phone.token))).toBeNull();
    expect(await getAdminSession(svc, cookieHeaders(laptop.token))).toBeNull();
    // Someone else's session is not touched.
    expect(await getAdminSession(svc, cookieHeaders(colleague.token))).toMatchObject({ email: other.email });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.logoutEverywhere"), eq(auditLog.entityId, admin.id)));
    expect(audit).toMatchObject({ adminUserId: admin.id, after: { sessionsEnded: 2 } });
  });

  it("an admin can end another admin's sessions; check-in staff cannot", async () => {
    const boss = await makeAdmin(svc, "boss");
    const leaver = await makeAdmin(svc, "leaver");
    const quay = await makeAdmin(svc, "quay", "checkin");
    const leaverSession = await createAdminSession(t.db, leaver.id, new Date());
    const bossSession = await createAdminSession(t.db, boss.id, new Date());
    const quaySession = await createAdminSession(t.db, quay.id, new Date());

    const asQuay = callerFor(svc, cookieHeaders(quaySession.token)).caller;
    await expect(asQuay.admin.users.logoutEverywhere({ userId: leaver.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await getAdminSession(svc, cookieHeaders(leaverSession.token))).not.toBeNull();

    const asBoss = callerFor(svc, cookieHeaders(bossSession.token)).caller;
    expect(await asBoss.admin.users.logoutEverywhere({ userId: leaver.id })).toEqual({ sessionsEnded: 1 });
    // The leaver's very next request is refused: every guarded call reads the session from the database.
    const asLeaver = callerFor(svc, cookieHeaders(leaverSession.token)).caller;
    await expect(asLeaver.admin.auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(asBoss.admin.auth.me()).resolves.toMatchObject({ email: boss.email });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.logoutEverywhere"), eq(auditLog.entityId, leaver.id)));
    expect(audit).toMatchObject({ adminUserId: boss.id, after: { sessionsEnded: 1 } });
    await expect(
      asBoss.admin.users.logoutEverywhere({ userId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("admins list", () => {
  it("shows role, last sign-in, live sessions and who is being delayed", async () => {
    const { login } = await import("@/server/features/auth/login");
    const boss = await makeAdmin(svc, "listboss");
    const quay = await makeAdmin(svc, "listquay", "checkin");
    await login(svc, { email: boss.email, password: boss.password, ip: "203.0.113.50" });
    const t0 = new Date();
    for (let i = 0; i < 4; i++) {
      await login(svcAt(svc, t0), { email: quay.email, password: `nope-${i}`, ip: "203.0.113.51" }).catch(
        () => {},
      );
    }
    const session = await createAdminSession(t.db, boss.id, new Date());
    const { caller } = callerFor(svc, cookieHeaders(session.token));
    const list = await caller.admin.users.list();
    const b = list.find((a) => a.email === boss.email)!;
    const q = list.find((a) => a.email === quay.email)!;
    expect(b).toMatchObject({ role: "admin", activeSessions: 2, throttle: null });
    expect(b.lastLoginAt).toBeInstanceOf(Date);
    expect(q).toMatchObject({
      role: "checkin",
      lastLoginAt: null,
      activeSessions: 0,
      throttle: { failingClients: 1, blockedClients: 1, failures: 3 },
    });
    expect(q.throttle!.blockedUntil!.getTime()).toBe(t0.getTime() + 1000);
    await caller.admin.users.unlock({ userId: quay.id });
    expect((await caller.admin.users.list()).find((a) => a.email === quay.email)!.throttle).toBeNull();
  });
});
