import { and, asc, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { type AdminRole, adminSessions, adminUsers } from "@/server/db/schema/admin";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { normaliseEmail } from "./login";
import { SESSION_IDLE_MS } from "./session";
import { accountKey, clearAccount, type ThrottleState, throttleStates } from "./throttle";

/** Admin accounts and what an admin can do about them: unlock sign-in, end every session. */

export const adminUserInput = z.object({ userId: z.uuid("Give the admin's id.") });

export interface AdminListItem {
  id: string;
  email: string;
  name: string;
  role: AdminRole;
  createdAt: Date;
  lastLoginAt: Date | null;
  /** Sessions alive right now (within their lifetime and not idle). */
  activeSessions: number;
  throttle: ThrottleState | null;
}

export async function listAdmins(svc: Services): Promise<AdminListItem[]> {
  const { db } = svc;
  const now = svc.clock.now();
  const liveSession = and(
    eq(adminSessions.userId, adminUsers.id),
    gt(adminSessions.expiresAt, now),
    gt(adminSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
  );
  const rows = await db
    .select({
      id: adminUsers.id,
      email: adminUsers.email,
      name: adminUsers.name,
      role: adminUsers.role,
      createdAt: adminUsers.createdAt,
      lastLoginAt: adminUsers.lastLoginAt,
      activeSessions: sql<number>`(select count(*)::int from ${adminSessions} where ${liveSession})`,
    })
    .from(adminUsers)
    .orderBy(asc(adminUsers.email));
  const states = await throttleStates(
    db,
    rows.map((r) => accountKey(r.email)),
    now,
  );
  return rows.map((r) => ({ ...r, throttle: states.get(accountKey(r.email)) ?? null }));
}

async function findAdmin(db: DbOrTx, userId: string) {
  const [user] = await db
    .select({ id: adminUsers.id, email: adminUsers.email })
    .from(adminUsers)
    .where(eq(adminUsers.id, userId));
  if (!user) throw new AppError("NOT_FOUND", "No admin has this id; the list may be out of date. Reload it.");
  return user;
}

/**
 * Ends every sign-in delay on the account, from every client. `actor` is null when run from the command
 * line (`npm run admin:unlock`); the audit row says so.
 */
export async function unlockAdmin(
  svc: Services,
  actor: Actor | null,
  input: z.output<typeof adminUserInput>,
): Promise<{ email: string; clientsCleared: number }> {
  return svc.db.transaction(async (tx) => {
    const user = await findAdmin(tx, input.userId);
    const clientsCleared = await clearAccount(tx, accountKey(user.email));
    await writeAudit(tx, {
      adminUserId: actor?.userId ?? null,
      action: "auth.unlock",
      entity: "admin_user",
      entityId: user.id,
      after: { clientsCleared, via: actor ? "admin" : "command line" },
    });
    return { email: user.email, clientsCleared };
  });
}

export async function unlockAdminByEmail(
  svc: Services,
  email: string,
): Promise<{ email: string; clientsCleared: number }> {
  const normalised = normaliseEmail(email);
  const [user] = await svc.db
    .select({ id: adminUsers.id })
    .from(adminUsers)
    .where(eq(adminUsers.email, normalised));
  if (!user) throw new AppError("NOT_FOUND", `No admin account has the email ${normalised}.`);
  return unlockAdmin(svc, null, { userId: user.id });
}

/**
 * Ends every session of an admin, on every device: for the admin themselves (a lost laptop) or, by an
 * admin, for someone else (a departure, a stolen phone). The next request of each session is refused,
 * because every guarded call reads the session from the database.
 */
export async function logoutEverywhere(
  svc: Services,
  actor: Actor,
  input: z.output<typeof adminUserInput>,
): Promise<{ sessionsEnded: number }> {
  return svc.db.transaction(async (tx) => {
    const user = await findAdmin(tx, input.userId);
    const rows = await tx
      .delete(adminSessions)
      .where(eq(adminSessions.userId, user.id))
      .returning({ t: adminSessions.tokenHash });
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "auth.logoutEverywhere",
      entity: "admin_user",
      entityId: user.id,
      after: { sessionsEnded: rows.length },
    });
    return { sessionsEnded: rows.length };
  });
}
