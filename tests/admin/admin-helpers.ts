import { createCaller } from "@/server/api/root";
import type { Context } from "@/server/api/trpc";
import type { AdminRole } from "@/server/db/schema/admin";
import type { Actor } from "@/server/features/audit/audit";
import { createAdminUser } from "@/server/features/auth/login";
import { createAdminSession, sessionCookieName } from "@/server/features/auth/session";
import type { Services } from "@/server/services";

export const ADMIN_PASSWORD = "correct horse battery staple";

let n = 0;
/** A fresh staff account with a unique email, so tests in one file never share throttle or rate-limit state. */
export async function makeAdmin(svc: Services, label = "ops", role: AdminRole = "admin") {
  const email = `${label}-${process.pid}-${++n}@traverse.test`;
  const admin = await createAdminUser(svc, { email, password: ADMIN_PASSWORD, name: label, role });
  return { ...admin, password: ADMIN_PASSWORD };
}

/** Headers carrying a session cookie (or none). */
export function cookieHeaders(token?: string): Headers {
  const h = new Headers();
  if (token) h.set("cookie", `other=1; ${sessionCookieName()}=${token}`);
  return h;
}

/** A tRPC caller as the app's HTTP handler would build it, with a response-headers object to inspect. */
export function callerFor(svc: Services, headers: Headers = new Headers(), ip = "203.0.113.7") {
  const resHeaders = new Headers();
  const ctx: Context = { svc, headers, resHeaders, ip };
  return { caller: createCaller(ctx), resHeaders };
}

/** A signed-in staff member's caller (an admin unless `role` says otherwise). */
export async function adminCaller(svc: Services, label = "ops", role: AdminRole = "admin") {
  const admin = await makeAdmin(svc, label, role);
  const session = await createAdminSession(svc.db, admin.id, svc.clock.now());
  return { admin, ...callerFor(svc, cookieHeaders(session.token)) };
}

/** The actor an admin's own procedures run as (what the admin tiers of server/api/trpc.ts put in ctx). */
export function actorOf(admin: { id: string; email: string; role: AdminRole }): Actor {
  return { userId: admin.id, email: admin.email, role: admin.role };
}
