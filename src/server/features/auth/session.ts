import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { adminSessions, adminUsers } from "@/server/db/schema/admin";

export const SESSION_COOKIE = "traverse_admin";
export const SESSION_TTL_MS = 8 * 3600 * 1000;

export interface AdminSession {
  userId: string;
  email: string;
  name: string;
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
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** Loads the admin behind the request's session cookie, or null if absent, unknown or expired. */
export async function getAdminSession(db: DbOrTx, headers: Headers): Promise<AdminSession | null> {
  const token = readCookie(headers, SESSION_COOKIE);
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({
      userId: adminUsers.id,
      email: adminUsers.email,
      name: adminUsers.name,
      expiresAt: adminSessions.expiresAt,
    })
    .from(adminSessions)
    .innerJoin(adminUsers, eq(adminUsers.id, adminSessions.userId))
    .where(and(eq(adminSessions.tokenHash, hashToken(token)), gt(adminSessions.expiresAt, sql`now()`)));
  return row ?? null;
}

/** Creates a session and returns the raw token for the cookie; only its hash is stored. */
export async function createAdminSession(
  db: DbOrTx,
  userId: string,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(adminSessions).values({ tokenHash: hashToken(token), userId, expiresAt });
  return { token, expiresAt };
}

export async function deleteAdminSession(db: DbOrTx, token: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.tokenHash, hashToken(token)));
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    secure ? "Secure" : "",
    `Expires=${expiresAt.toUTCString()}`,
  ]
    .filter(Boolean)
    .join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}; Max-Age=0`;
}
