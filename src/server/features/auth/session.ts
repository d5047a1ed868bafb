import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import { isProduction } from "@/env";
import type { DbOrTx } from "@/server/db/client";
import { adminSessions, adminUsers } from "@/server/db/schema/admin";
import type { Actor } from "@/server/features/audit/audit";
import type { Services } from "@/server/services";

/** The absolute lifetime of a session, however active. */
export const SESSION_TTL_MS = 8 * 3600 * 1000;
/** A session nobody used for this long is over: an unattended screen at the port is not a way in. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/**
 * Activity moves `last_seen_at` forward at most this often, so reading a session stays a single SELECT
 * on almost every request; the idle timeout is therefore exact to within a minute.
 */
export const SESSION_TOUCH_MS = 60 * 1000;

/**
 * `__Host-` in production: the browser then only accepts the cookie from a secure page, for Path=/, with no
 * Domain, so a sibling subdomain cannot plant or overwrite it. Development and tests run over plain
 * http, where browsers refuse `__Host-` cookies, so they keep the plain name.
 */
export function sessionCookieName(production = isProduction): string {
  return production ? "__Host-traverse_admin" : "traverse_admin";
}

/** The signed-in staff member: the actor of everything they do, plus what the admin pages show. */
export interface AdminSession extends Actor {
  name: string;
  /** When the session ends at the latest (absolute lifetime). */
  expiresAt: Date;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function readCookie(headers: Headers, name: string): string | undefined {
  const raw = headers.get("cookie");
  if (!raw) return undefined;
  for (const part of raw.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The session token the request carries, if any. */
export function sessionToken(headers: Headers): string | undefined {
  const token = readCookie(headers, sessionCookieName());
  return token && token.length <= 200 ? token : undefined;
}

/**
 * Loads the admin behind the request's session cookie, or null if absent, unknown, past its lifetime or
 * idle for too long. A session in use is kept alive: `last_seen_at` moves to `now` when it is more than
 * a minute old (the WHERE makes concurrent requests write once, and never past the session's end).
 */
export async function getAdminSession(svc: Services, headers: Headers): Promise<AdminSession | null> {
  const { db } = svc;
  const now = svc.clock.now();
  const token = sessionToken(headers);
  if (!token) return null;
  const tokenHash = hashToken(token);
  const [row] = await db
    .select({
      userId: adminUsers.id,
      email: adminUsers.email,
      name: adminUsers.name,
      role: adminUsers.role,
      expiresAt: adminSessions.expiresAt,
      lastSeenAt: adminSessions.lastSeenAt,
    })
    .from(adminSessions)
    .innerJoin(adminUsers, eq(adminUsers.id, adminSessions.userId))
    .where(
      and(
        eq(adminSessions.tokenHash, tokenHash),
        gt(adminSessions.expiresAt, now),
        gt(adminSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
      ),
    );
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
    await db
      .update(adminSessions)
      .set({ lastSeenAt: now })
      .where(
        and(
          eq(adminSessions.tokenHash, tokenHash),
          lt(adminSessions.lastSeenAt, new Date(now.getTime() - SESSION_TOUCH_MS + 1)),
          gt(adminSessions.expiresAt, now),
        ),
      );
  }
  const { lastSeenAt: _seen, ...session } = row;
  return session;
}

/** Creates a session and returns the raw token for the cookie; only its hash is stored. */
export async function createAdminSession(
  db: DbOrTx,
  userId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(adminSessions).values({ tokenHash: hashToken(token), userId, expiresAt, lastSeenAt: now });
  return { token, expiresAt };
}

export async function deleteAdminSession(db: DbOrTx, token: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.tokenHash, hashToken(token)));
}

/**
 * The Set-Cookie value for a new session. HttpOnly (scripts never see it), SameSite=Lax (not sent on
 * cross-site posts), Path=/ and no Domain; Secure and `__Host-` in production.
 */
export function sessionCookie(token: string, expiresAt: Date, production = isProduction): string {
  return [
    `${sessionCookieName(production)}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    production ? "Secure" : "",
    `Expires=${expiresAt.toUTCString()}`,
  ]
    .filter(Boolean)
    .join("; ");
}

export function clearedSessionCookie(production = isProduction): string {
  return `${sessionCookieName(production)}=; Path=/; HttpOnly; SameSite=Lax${production ? "; Secure" : ""}; Max-Age=0`;
}
