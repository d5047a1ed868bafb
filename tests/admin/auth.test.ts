import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { adminUsers, auditLog, loginAttempts, loginThrottles } from "@/server/db/schema/admin";
import { unlockAdmin } from "@/server/features/auth/admins";
import { createAdminUser, LOGIN_FAILED_MESSAGE, LOGIN_POLICY, login } from "@/server/features/auth/login";
import { getAdminSession, sessionCookieName } from "@/server/features/auth/session";
import { THROTTLE_POLICY, throttleDelaySeconds, throttleKeys } from "@/server/features/auth/throttle";
import { svcAt } from "../helpers/services";
import { actorOf, callerFor, cookieHeaders, makeAdmin } from "./admin-helpers";
import { testDbForFile } from "../helpers/per-file";

const { t, svc } = testDbForFile();

let ipSeq = 0;
/** Each test signs in from its own addresses so the per-IP limit of one test never trips another. */
const freshIp = () => `198.51.100.${++ipSeq}`;

async function failure(p: Promise<unknown>) {
  const e = (await p.then(
    () => null,
    (err: unknown) => err,
  )) as { code?: string; message?: string; details?: { retryAfterSeconds?: number } } | null;
  expect(e, "expected the sign-in to be refused").not.toBeNull();
  return { code: e!.code, message: e!.message, retryAfter: e!.details?.retryAfterSeconds };
}

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

describe("admin login", () => {
  it("signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie", async () => {
    const admin = await makeAdmin(svc);
    const { caller, resHeaders } = callerFor(svc, new Headers(), freshIp());
    const me = await caller.admin.auth.login({ email: admin.email.toUpperCase(), password: admin.password });
    expect(me).toMatchObject({ email: admin.email, role: "admin" });
    const cookie = resHeaders.get("set-cookie") ?? "";
    // Tests run over plain http: the plain name, no Secure (production is covered in security tests).
    expect(sessionCookieName()).toBe("traverse_admin");
    expect(cookie).toMatch(/^traverse_admin=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Domain");
    // The token is only in the cookie, never in the response body.
    const token = cookie.split(";")[0]!.split("=")[1]!;
    expect(JSON.stringify(me)).not.toContain(token);
    expect(await getAdminSession(svc, cookieHeaders(token))).toMatchObject({ email: admin.email });
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, "auth.login"));
    expect(audit?.adminUserId).toBe(admin.id);
    const [row] = await t.db.select().from(adminUsers).where(eq(adminUsers.id, admin.id));
    expect(row!.lastLoginAt).toBeInstanceOf(Date);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const admin = await makeAdmin(svc);
    const ip = freshIp();
    const wrong = await failure(login(svc, { email: admin.email, password: "not the password", ip }));
    const unknown = await failure(
      login(svc, { email: "nobody-here@traverse.test", password: "whatever-password", ip }),
    );
    for (const f of [wrong, unknown]) {
      expect(f).toMatchObject({ code: "UNAUTHORIZED", message: LOGIN_FAILED_MESSAGE });
    }
  });

  it("the same message reaches the client through tRPC, with no cookie", async () => {
    const admin = await makeAdmin(svc);
    const { caller, resHeaders } = callerFor(svc, new Headers(), freshIp());
    const a = await failure(caller.admin.auth.login({ email: admin.email, password: "nope-nope-nope" }));
    const b = await failure(
      caller.admin.auth.login({ email: "ghost@traverse.test", password: "nope-nope-nope" }),
    );
    expect(a).toMatchObject({ code: "UNAUTHORIZED", message: LOGIN_FAILED_MESSAGE });
    expect(b).toEqual(a);
    expect(resHeaders.get("set-cookie")).toBeNull();
  });

  it("rate-limits attempts per IP across accounts, and a good password does not get past it", async () => {
    const ip = freshIp();
    const admin = await makeAdmin(svc);
    const now = new Date();
    for (let i = 0; i < LOGIN_POLICY.perIp.limit; i++) {
      await failure(
        login(svcAt(svc, now), { email: `spray-${i}@traverse.test`, password: "Winter2025!!", ip }),
      );
    }
    const f = await failure(login(svcAt(svc, now), { email: admin.email, password: admin.password, ip }));
    expect(f.code).toBe("TOO_MANY_REQUESTS");
    // Another address is not affected.
    await expect(
      login(svcAt(svc, now), { email: admin.email, password: admin.password, ip: freshIp() }),
    ).resolves.toMatchObject({ admin: { email: admin.email } });
  });

  it("records failures without storing the email or IP in clear", async () => {
    const ip = "192.0.2.99";
    const email = "clear-text-check@traverse.test";
    await failure(login(svc, { email, password: "wrong-password", ip }));
    const attempts = await t.db.select().from(loginAttempts);
    const throttles = await t.db.select().from(loginThrottles);
    expect(attempts.length).toBeGreaterThan(0);
    expect(throttles.length).toBeGreaterThan(0);
    const stored = JSON.stringify([attempts, throttles]);
    expect(stored).not.toContain(ip);
    expect(stored).not.toContain(email);
    const limits = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from rate_limits where key like ${`%${email}%`} or key like ${`%${ip}%`}`,
    );
    expect(Number([...limits][0]?.n)).toBe(0);
  });
});

describe("sign-in throttling per (account, client)", () => {
  it("lets a few typos through, then makes that client wait 1 s, 2 s, 4 s … capped", async () => {
    expect([1, 2, 3, 4, 5, 6].map(throttleDelaySeconds)).toEqual([0, 0, 1, 2, 4, 8]);
    expect(throttleDelaySeconds(50)).toBe(THROTTLE_POLICY.maxDelaySeconds);

    const admin = await makeAdmin(svc);
    const x = freshIp();
    const t0 = new Date();
    const guess = (when: Date) =>
      failure(login(svcAt(svc, when), { email: admin.email, password: "guess", ip: x }));
    // Three failures in the same second: all answered (and verified) normally.
    for (let i = 0; i < THROTTLE_POLICY.freeFailures; i++) {
      expect(await guess(t0)).toMatchObject({ code: "UNAUTHORIZED" });
    }
    // Now the client waits 1 s: refused before any password check, and told for how long.
    const blocked = await guess(t0);
    expect(blocked).toEqual({
      code: "TOO_MANY_REQUESTS",
      message: "Too many failed sign-ins for this account from here. Try again in 1 second.",
      retryAfter: 1,
    });
    // After the wait, one more guess; it fails, and the next wait is 2 s, then 4 s.
    expect((await guess(at(t0, 1))).code).toBe("UNAUTHORIZED");
    expect(await guess(at(t0, 2))).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfter: 1 });
    expect(await guess(at(t0, 1.5))).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfter: 2 });
    expect((await guess(at(t0, 3))).code).toBe("UNAUTHORIZED");
    expect(await guess(at(t0, 3))).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      retryAfter: 4,
      message: expect.stringContaining("Try again in 4 seconds."),
    });
    // Even the right password waits: the delay is about the client, whatever it sends.
    expect(
      await failure(login(svcAt(svc, at(t0, 5)), { email: admin.email, password: admin.password, ip: x })),
    ).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfter: 2 });
    // Once the wait is over the right password works and wipes the slate.
    await expect(
      login(svcAt(svc, at(t0, 7)), { email: admin.email, password: admin.password, ip: x }),
    ).resolves.toMatchObject({ admin: { email: admin.email } });
    const keys = throttleKeys(admin.email, x);
    const left = await t.db
      .select()
      .from(loginThrottles)
      .where(
        and(eq(loginThrottles.accountKey, keys.accountKey), eq(loginThrottles.clientKey, keys.clientKey)),
      );
    expect(left).toEqual([]);
  });

  it("a stranger's many wrong passwords from X never stop the admin signing in from Y", async () => {
    const admin = await makeAdmin(svc);
    const x = freshIp();
    const y = freshIp();
    const t0 = new Date();
    // The stranger keeps at it, waiting out every delay, until eight guesses have been checked.
    let when = t0;
    let checked = 0;
    let refusedFromX = 0;
    while (checked < 8) {
      const f = await failure(
        login(svcAt(svc, when), { email: admin.email, password: `guess-${checked}`, ip: x }),
      );
      if (f.code === "UNAUTHORIZED") checked++;
      else {
        refusedFromX++;
        when = at(when, f.retryAfter!);
      }
    }
    // Right after the eighth failure, X must wait 2^5 = 32 s.
    const fromX = await failure(login(svcAt(svc, when), { email: admin.email, password: "one more", ip: x }));
    expect(fromX).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfter: throttleDelaySeconds(8) });
    expect(refusedFromX).toBe(5);
    // The admin, elsewhere, at that same moment: straight in, first try.
    const ok = await login(svcAt(svc, when), { email: admin.email, password: admin.password, ip: y });
    expect(ok.admin.email).toBe(admin.email);
    // … and X's delay is still there: the admin's success only cleared Y's slate.
    expect(
      (await failure(login(svcAt(svc, when), { email: admin.email, password: "again", ip: x }))).code,
    ).toBe("TOO_MANY_REQUESTS");
    // The moment X started being delayed is in the audit log, with no actor and no address.
    const throttled = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.throttled"), eq(auditLog.entityId, admin.id)));
    expect(throttled).toHaveLength(1);
    expect(throttled[0]!.adminUserId).toBeNull();
    expect(JSON.stringify(throttled[0])).not.toContain(x);
  });

  it("unlock clears every client's delay on the account, and is audited", async () => {
    const admin = await makeAdmin(svc);
    const boss = await makeAdmin(svc, "boss");
    const x = freshIp();
    const t0 = new Date();
    for (let i = 0; i <= THROTTLE_POLICY.freeFailures; i++) {
      await failure(login(svcAt(svc, t0), { email: admin.email, password: `guess-${i}`, ip: x }));
    }
    expect(
      (await failure(login(svcAt(svc, t0), { email: admin.email, password: admin.password, ip: x }))).code,
    ).toBe("TOO_MANY_REQUESTS");
    const r = await unlockAdmin(svc, actorOf(boss), { userId: admin.id });
    expect(r).toEqual({ email: admin.email, clientsCleared: 1 });
    // Same client, same instant: the right password is accepted now.
    await expect(
      login(svcAt(svc, t0), { email: admin.email, password: admin.password, ip: x }),
    ).resolves.toMatchObject({ admin: { email: admin.email } });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.unlock"), eq(auditLog.entityId, admin.id)));
    expect(audit).toMatchObject({ adminUserId: boss.id, after: { clientsCleared: 1, via: "admin" } });
  });

  it("throttles an unknown email exactly like a real one (nothing tells them apart)", async () => {
    const x = freshIp();
    const t0 = new Date();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (await failure(login(svcAt(svc, t0), { email: "ghost2@traverse.test", password: "x", ip: x }))).code,
      );
    }
    expect(codes).toEqual([
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "TOO_MANY_REQUESTS",
      "TOO_MANY_REQUESTS",
    ]);
  });

  it("a burst of parallel guesses queued behind a lock gets exactly the free attempts, no more", async () => {
    const admin = await makeAdmin(svc);
    const x = freshIp();
    const t0 = new Date();
    // One failure on record, so the row exists and can be held.
    await failure(login(svcAt(svc, t0), { email: admin.email, password: "first", ip: x }));
    const keys = throttleKeys(admin.email, x);
    // Another connection holds the row: every attempt below queues on it, then they go one by one.
    const holder = postgres(t.url, { max: 1, onnotice: () => {} });
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const holding = holder.begin(async (tx) => {
      await tx`select 1 from login_throttles where account_key = ${keys.accountKey} and client_key = ${keys.clientKey} for update`;
      locked();
      await released;
    });
    await isLocked;
    const burst = Array.from({ length: 10 }, (_, i) =>
      failure(login(svcAt(svc, t0), { email: admin.email, password: `burst-${i}`, ip: x })),
    );
    // Every attempt must be waiting on the held row before it is released (proved, not assumed). The
    // attempts hold all of the pool's connections while they wait, so this looks from a connection of its own.
    const watcher = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [w] = await watcher<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where datname = ${t.name} and wait_event_type = 'Lock'`;
        if (w?.n === 10) break;
        if (Date.now() > deadline) throw new Error(`expected 10 attempts waiting on the lock, saw ${w?.n}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      release();
      await holding;
      await Promise.all([holder.end(), watcher.end()]);
    }
    const results = await Promise.all(burst);
    // Failures 2 and 3 were still free; the 3rd set a 1 s delay that refuses the other 8.
    expect(results.filter((r) => r.code === "UNAUTHORIZED")).toHaveLength(THROTTLE_POLICY.freeFailures - 1);
    expect(results.filter((r) => r.code === "TOO_MANY_REQUESTS")).toHaveLength(8);
    const [row] = await t.db
      .select()
      .from(loginThrottles)
      .where(
        and(eq(loginThrottles.accountKey, keys.accountKey), eq(loginThrottles.clientKey, keys.clientKey)),
      );
    expect(row!.failures).toBe(THROTTLE_POLICY.freeFailures);
  });

  it("forgets a client that stayed quiet for a day", async () => {
    const admin = await makeAdmin(svc);
    const x = freshIp();
    const t0 = new Date(Date.now() - 2 * 24 * 3600_000);
    for (let i = 0; i <= THROTTLE_POLICY.freeFailures; i++) {
      await failure(login(svcAt(svc, t0), { email: admin.email, password: `old-${i}`, ip: x }));
    }
    const later = at(t0, THROTTLE_POLICY.forgetAfterSeconds + 60);
    // Counting starts again from one: a failure, not a delay.
    expect(
      (await failure(login(svcAt(svc, later), { email: admin.email, password: "new", ip: x }))).code,
    ).toBe("UNAUTHORIZED");
    const [row] = await t.db
      .select()
      .from(loginThrottles)
      .where(eq(loginThrottles.accountKey, throttleKeys(admin.email, x).accountKey));
    expect(row!.failures).toBe(1);
  });
});

describe("createAdminUser", () => {
  it("refuses short passwords, duplicates and unknown roles, stores an argon2id hash and the role", async () => {
    await expect(
      createAdminUser(svc, { email: "short@traverse.test", password: "elevenchars" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at least 12"),
    });
    await expect(
      createAdminUser(svc, { email: "not-an-email", password: "a long enough password" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      createAdminUser(svc, {
        email: "role@traverse.test",
        password: "a long enough password",
        role: "root" as unknown as "admin",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "The role must be one of: admin, checkin." });
    const a = await createAdminUser(svc, {
      email: "  New.Admin@Traverse.test ",
      password: "a long enough password",
    });
    expect(a).toMatchObject({ email: "new.admin@traverse.test", role: "admin" });
    await expect(
      createAdminUser(svc, { email: "new.admin@traverse.test", password: "another long password" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const [row] = await t.db.select().from(adminUsers).where(eq(adminUsers.id, a.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    const staff = await createAdminUser(svc, {
      email: "quay@traverse.test",
      password: "a long enough password",
      role: "checkin",
    });
    expect(staff.role).toBe("checkin");
  });

  it("the database itself refuses a role that is not admin or checkin", async () => {
    const a = await makeAdmin(svc);
    await expect(
      t.db.execute(sql`update admin_users set role = 'root' where id = ${a.id}`),
    ).rejects.toMatchObject({ cause: { constraint_name: "admin_users_role" } });
  });
});
