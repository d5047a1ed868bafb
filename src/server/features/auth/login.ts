import { createHash } from "node:crypto";
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/server/db/client";
import { adminSessions, adminUsers, loginAttempts } from "@/server/db/schema/admin";
import { writeAudit } from "@/server/features/admin/audit";
import { consumeRateLimit, type RateLimit } from "@/server/features/security/rate-limit";
import { AppError } from "@/server/lib/errors";
import { log } from "@/server/lib/log";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { type AdminSession, createAdminSession, deleteAdminSession } from "./session";

/**
 * One message for every refused sign-in (wrong password, unknown email, locked account), so the form
 * never tells an attacker which emails are admins or that an account is locked.
 */
export const LOGIN_FAILED_MESSAGE = "Email or password is incorrect.";

export const LOGIN_POLICY = {
  /** Consecutive failures on one account before it locks. */
  lockAfterFailures: 5,
  lockMinutes: 15,
  /** Attempts (good or bad) per IP: slows a script down without bothering a person who mistypes. */
  perIp: { name: "admin.login.ip", limit: 20, windowSeconds: 300 } satisfies RateLimit,
  /**
   * Attempts per submitted email, whether or not it is an admin: keyed on what was typed, so the answer
   * for an unknown email looks exactly like the answer for a real one.
   */
  perAccount: { name: "admin.login.account", limit: 10, windowSeconds: 300 } satisfies RateLimit,
  /** Failed attempts per IP over an hour, across accounts: catches slow credential stuffing. */
  ipFailuresPerHour: 60,
} as const;

export const PASSWORD_MIN_LENGTH = 12;
/** argon2 hashes whatever it is given: a cap keeps a megabyte "password" from costing us CPU. */
export const PASSWORD_MAX_LENGTH = 256;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Why a new password is unacceptable, or null when it is fine. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  }
  if (password.trim().length === 0) return "The password cannot be only spaces.";
  return null;
}

function attemptKey(kind: "ip" | "account", subject: string): string {
  // Hashed like the rate-limit keys: no address or IP sits in clear in login_attempts.
  return `${kind}:${createHash("sha256").update(subject).digest("hex").slice(0, 32)}`;
}

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  admin: AdminSession;
}

/**
 * Signs an admin in and returns a new session token (the caller puts it in the cookie). Rate limits are
 * counted before the password is checked, outside any transaction, so a refused attempt still counts.
 * Exactly one argon2 verification runs whatever the outcome, so timing does not tell unknown, locked and
 * wrong-password apart either.
 */
export async function login(db: Db, input: LoginInput, now = new Date()): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  await consumeRateLimit(db, LOGIN_POLICY.perIp, input.ip, now);
  await consumeRateLimit(db, LOGIN_POLICY.perAccount, email, now);
  const ipKey = attemptKey("ip", input.ip);
  const [{ failures } = { failures: 0 }] = await db
    .select({ failures: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.key, ipKey), gt(loginAttempts.at, new Date(now.getTime() - 3600_000))));
  if (failures >= LOGIN_POLICY.ipFailuresPerHour) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many attempts. Please wait a minute and try again.", {
      retryAfterSeconds: 3600,
    });
  }

  const password = input.password.slice(0, PASSWORD_MAX_LENGTH + 1);
  const [user] = await db.select().from(adminUsers).where(eq(adminUsers.email, email));
  const locked = !!user?.lockedUntil && user.lockedUntil.getTime() > now.getTime();
  const ok = await verifyPassword(user && !locked ? user.passwordHash : await dummyPasswordHash(), password);

  if (!user || locked || !ok) {
    await recordFailure(db, { ipKey, accountKey: attemptKey("account", email), userId: user?.id, now });
    log.info("admin login refused", { reason: !user ? "unknown" : locked ? "locked" : "password" });
    throw new AppError("UNAUTHORIZED", LOGIN_FAILED_MESSAGE);
  }

  return db.transaction(async (tx) => {
    await tx.update(adminUsers).set({ failedLogins: 0, lockedUntil: null }).where(eq(adminUsers.id, user.id));
    // Expired sessions are dead weight; an admin's sign-in is a natural moment to drop theirs.
    await tx
      .delete(adminSessions)
      .where(and(eq(adminSessions.userId, user.id), lt(adminSessions.expiresAt, now)));
    const session = await createAdminSession(tx, user.id, now);
    await writeAudit(tx, {
      adminUserId: user.id,
      action: "auth.login",
      entity: "admin_user",
      entityId: user.id,
    });
    return {
      ...session,
      admin: { userId: user.id, email: user.email, name: user.name, expiresAt: session.expiresAt },
    };
  });
}

async function recordFailure(
  db: Db,
  f: { ipKey: string; accountKey: string; userId?: string; now: Date },
): Promise<void> {
  await db.insert(loginAttempts).values([
    { key: f.ipKey, at: f.now },
    { key: f.accountKey, at: f.now },
  ]);
  // Old rows only ever feed the one-hour window; prune this subject's while we are here (index on key, at).
  await db
    .delete(loginAttempts)
    .where(
      and(
        inArray(loginAttempts.key, [f.ipKey, f.accountKey]),
        lt(loginAttempts.at, new Date(f.now.getTime() - 24 * 3600_000)),
      ),
    );
  if (!f.userId) return;
  // One atomic statement, so parallel wrong guesses cannot slip past the lock threshold.
  const lockUntil = new Date(f.now.getTime() + LOGIN_POLICY.lockMinutes * 60_000);
  const [row] = await db
    .update(adminUsers)
    .set({
      failedLogins: sql`case when ${adminUsers.failedLogins} + 1 >= ${LOGIN_POLICY.lockAfterFailures} then 0 else ${adminUsers.failedLogins} + 1 end`,
      lockedUntil: sql`case when ${adminUsers.failedLogins} + 1 >= ${LOGIN_POLICY.lockAfterFailures} then ${lockUntil.toISOString()}::timestamptz else ${adminUsers.lockedUntil} end`,
    })
    .where(eq(adminUsers.id, f.userId))
    .returning({ lockedUntil: adminUsers.lockedUntil });
  if (row?.lockedUntil && row.lockedUntil.getTime() === lockUntil.getTime()) {
    log.warn("admin account locked after repeated failed logins", { adminUserId: f.userId });
  }
}

/** Ends the session behind `token` (if any). Safe to call twice. */
export async function logout(db: Db, token: string | undefined, admin?: { userId: string }): Promise<void> {
  if (!token) return;
  await db.transaction(async (tx) => {
    await deleteAdminSession(tx, token);
    if (admin) {
      await writeAudit(tx, {
        adminUserId: admin.userId,
        action: "auth.logout",
        entity: "admin_user",
        entityId: admin.userId,
      });
    }
  });
}

/** Ends every session of an admin (e.g. after a password change or when access is revoked). */
export async function logoutEverywhere(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db
    .delete(adminSessions)
    .where(eq(adminSessions.userId, userId))
    .returning({ t: adminSessions.tokenHash });
  return rows.length;
}

/** Creates an admin (used by `npm run admin:create`). Emails are stored lower-cased. */
export async function createAdminUser(
  db: DbOrTx,
  email: string,
  password: string,
  opts: { name?: string } = {},
): Promise<{ id: string; email: string }> {
  const normalised = normaliseEmail(email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalised)) {
    throw new AppError("BAD_REQUEST", "Give a valid email address, like ops@example.com.");
  }
  const problem = passwordProblem(password);
  if (problem) throw new AppError("BAD_REQUEST", problem);
  const passwordHash = await hashPassword(password);
  const [row] = await db
    .insert(adminUsers)
    .values({ email: normalised, name: opts.name ?? "", passwordHash })
    .onConflictDoNothing({ target: adminUsers.email })
    .returning({ id: adminUsers.id, email: adminUsers.email });
  if (!row) throw new AppError("CONFLICT", `An admin with the email ${normalised} already exists.`);
  return row;
}
