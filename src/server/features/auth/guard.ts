import type { AdminRole } from "@/server/db/schema/admin";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { type AdminSession, getAdminSession } from "./session";

/** Every role that may sign in: the tier for what any staff member may do (their own session, check-in). */
export const STAFF_ROLES = ["admin", "checkin"] as const satisfies readonly AdminRole[];
export const ADMIN_ONLY = ["admin"] as const satisfies readonly AdminRole[];

const ROLE_NAMES: Record<AdminRole, string> = { admin: "an admin", checkin: "check-in staff" };

/**
 * The one guard for everything behind the admin sign-in: the tRPC procedure tiers in server/api/trpc.ts
 * and the `/api/checkin` route both call it. The session is read from the database on every call
 * (never trusted from middleware or a cached copy), so a sign-out everywhere or a role change applies
 * to the very next request.
 */
export async function requireStaff(
  svc: Services,
  headers: Headers,
  roles: readonly AdminRole[],
): Promise<AdminSession> {
  const session = await getAdminSession(svc, headers);
  if (!session) {
    throw new AppError("SIGN_IN_REQUIRED", "Please sign in to the admin area.");
  }
  if (!roles.includes(session.role)) {
    const needed = roles.map((r) => ROLE_NAMES[r]).join(" or ");
    throw new AppError(
      "ROLE_REQUIRED",
      `This needs ${needed}; you are signed in as ${ROLE_NAMES[session.role]}. Ask an admin if you need it.`,
      { roles: [...roles], role: session.role },
    );
  }
  return session;
}
