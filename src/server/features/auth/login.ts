import { createHash } from "node:crypto";
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import {
  type AdminRole,
  ADMIN_ROLES,
  adminSessions,
  adminUsers,
  loginAttempts,
} from "@/server/db/schema/admin";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { consumeRateLimit, type RateLimit } from "@/server/features/security/rate-limit";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { type AdminSession, createAdminSession, deleteAdminSession } from "./session";
import { clearAttempts, pruneThrottles, reserveAttempt, THROTTLE_POLICY, throttleKeys } from "./throttle";

/**
 * One message for every refused sign-in (wrong password, unknown email), so the form never tells an
 * attacker which emails are admins.
 */
export const LOGIN_FAILED_MESSAGE = "Email or password is incorrect.";

export const LOGIN_POLICY = {
  /** Attempts (good or bad) per IP: slows a script down without bothering a person who mistypes. */
  perIp: { name: "admin.login.ip", limit: 20, windowSeconds: 300 } satisfies RateLimit,
  /**
   * Failed attempts per IP over an hour, across accounts: catches slow credential stuffing (one address
   * trying many accounts, each below its own throttle).
   */
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

function ipKey(ip: string): string {
  // Hashed like the rate-limit keys: no IP sits in clear in login_attempts.
  return `ip:${createHash("sha256").update(ip).digest("hex").slice(0, 32)}`;
}

function seconds(n: number): string {
  return n === 1 ? "1 second" : `${n} seconds`;
}

export const loginInput = z.object({
  email: z.string({ error: "Give your email address." }).trim().min(3, "Give your email address.").max(254),
  // No length rule shown here: the login form must not hint at the password policy.
  password: z.string({ error: "Give your password." }).min(1, "Give your password.").max(1024),
});

export interface LoginInput extends z.output<typeof loginInput> {
  /** The client address (server/api/context.ts), for the per-address limits and throttle. */
  ip: string;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  admin: AdminSession;
}

/**
 * Signs an admin in and returns a new session token (the caller puts it in the cookie). In order: the
 * per-address limits, then the (account, address) throttle, then exactly one argon2 verification —
 * for unknown emails too, so timing does not tell them apart. A refused attempt is counted before the
 * password is looked at, outside any transaction, so it counts even when it fails.
 */
export async function login(svc: Services, input: LoginInput): Promise<LoginResult> {
  const { db, log } = svc;
  const now = svc.clock.now();
  const email = normaliseEmail(input.email);
  await consumeRateLimit(db, LOGIN_POLICY.perIp, input.ip, now);
  const ip = ipKey(input.ip);
  const [{ failures } = { failures: 0 }] = await db
    .select({ failures: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.key, ip), gt(loginAttempts.at, new Date(now.getTime() - 3600_000))));
  if (failures >= LOGIN_POLICY.ipFailuresPerHour) {
    throw new AppError("LOGIN_THROTTLED", "Too many failed sign-ins from here. Try again in an hour.", {
      retryAfterSeconds: 3600,
    });
  }

  const keys = throttleKeys(email, input.ip);
  const slot = await reserveAttempt(db, keys, now);
  if (!slot.allowed) {
    throw new AppError(
      "LOGIN_THROTTLED",
      `Too many failed sign-ins for this account from here. Try again in ${seconds(slot.retryAfterSeconds)}.`,
      { retryAfterSeconds: slot.retryAfterSeconds },
    );
  }

  const password = input.password.slice(0, PASSWORD_MAX_LENGTH + 1);
  const [user] = await db.select().from(adminUsers).where(eq(adminUsers.email, email));
  const ok = await verifyPassword(user ? user.passwordHash : await dummyPasswordHash(), password);

  if (!user || !ok) {
    await recordFailure(svc, { ipKey: ip, userId: user?.id, failures: slot.failures, now });
    log.info("admin login refused", { reason: user ? "password" : "unknown" });
    throw new AppError("UNAUTHORIZED", LOGIN_FAILED_MESSAGE);
  }

  return db.transaction(async (tx) => {
    await clearAttempts(tx, keys);
    await tx.update(adminUsers).set({ lastLoginAt: now }).where(eq(adminUsers.id, user.id));
    // Ended sessions are dead weight; an admin's sign-in is a natural moment to drop theirs.
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
      admin: {
        userId: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        expiresAt: session.expiresAt,
      },
    };
  });
}

async function recordFailure(
  svc: Services,
  f: { ipKey: string; userId?: string; failures: number; now: Date },
): Promise<void> {
  const { db, log } = svc;
  await db.insert(loginAttempts).values({ key: f.ipKey, at: f.now });
  // Old rows only ever feed the one-hour window; prune this address's while we are here (index on key, at).
  await db
    .delete(loginAttempts)
    .where(
      and(
        inArray(loginAttempts.key, [f.ipKey]),
        lt(loginAttempts.at, new Date(f.now.getTime() - 24 * 3600_000)),
      ),
    );
  await pruneThrottles(db, f.now);
  // The moment a client starts being delayed on a real account is worth a line in the audit log (no
  // address: the actor is a stranger, recorded as nobody).
  if (f.userId && f.failures === THROTTLE_POLICY.freeFailures) {
    await writeAudit(db, {
      adminUserId: null,
      action: "auth.throttled",
      entity: "admin_user",
      entityId: f.userId,
      after: { failures: f.failures },
    });
    log.warn("admin sign-in throttled for one client", { adminUserId: f.userId });
  }
}

/** Ends the session behind `token` (if any). Safe to call twice. */
export async function logout(svc: Services, actor: Actor | null, token: string | undefined): Promise<void> {
  if (!token) return;
  await svc.db.transaction(async (tx) => {
    await deleteAdminSession(tx, token);
    if (actor) {
      await writeAudit(tx, {
        adminUserId: actor.userId,
        action: "auth.logout",
        entity: "admin_user",
        entityId: actor.userId,
      });
    }
  });
}

export interface NewAdmin {
  email: string;
  password: string;
  name?: string;
  role?: AdminRole;
}

/** Creates an admin (used by `npm run admin:create`). Emails are stored lower-cased. */
export async function createAdminUser(
  svc: Services,
  input: NewAdmin,
): Promise<{ id: string; email: string; role: AdminRole }> {
  const { email, password, ...opts } = input;
  const normalised = normaliseEmail(email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalised)) {
    throw new AppError("BAD_REQUEST", "Give a valid email address, like ops@example.com.");
  }
  const role = opts.role ?? "admin";
  if (!ADMIN_ROLES.includes(role)) {
    throw new AppError("BAD_REQUEST", `The role must be one of: ${ADMIN_ROLES.join(", ")}.`);
  }
  const problem = passwordProblem(password);
  if (problem) throw new AppError("BAD_REQUEST", problem);
  const passwordHash = await hashPassword(password);
  const [row] = await svc.db
    .insert(adminUsers)
    .values({ email: normalised, name: opts.name ?? "", passwordHash, role })
    .onConflictDoNothing({ target: adminUsers.email })
    .returning({ id: adminUsers.id, email: adminUsers.email, role: adminUsers.role });
  if (!row) throw new AppError("CONFLICT", `An admin with the email ${normalised} already exists.`);
  return row;
}
