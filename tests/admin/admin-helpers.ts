import type Stripe from "stripe";
import { createCaller } from "../../src/server/api/root";
import type { Context } from "../../src/server/api/trpc";
import type { Db } from "../../src/server/db/client";
import { createAdminUser } from "../../src/server/features/auth/login";
import type { AdminRole } from "../../src/server/db/schema/admin";
import { createAdminSession, sessionCookieName } from "../../src/server/features/auth/session";
import { Cache } from "../../src/server/features/cache/cache";

export const ADMIN_PASSWORD = "correct horse battery staple";

let n = 0;
/** A fresh staff account with a unique email, so tests in one file never share throttle or rate-limit state. */
export async function makeAdmin(db: Db, label = "ops", role: AdminRole = "admin") {
  const email = `${label}-${process.pid}-${++n}@traverse.test`;
  const admin = await createAdminUser(db, email, ADMIN_PASSWORD, { name: label, role });
  return { ...admin, password: ADMIN_PASSWORD };
}

/** Headers carrying a session cookie (or none). */
export function cookieHeaders(token?: string): Headers {
  const h = new Headers();
  if (token) h.set("cookie", `other=1; ${sessionCookieName()}=${token}`);
  return h;
}

export function noStripe(): Stripe {
  throw new Error("Stripe is not used by this test");
}

/** A tRPC caller as the app's HTTP handler would build it, with a response-headers object to inspect. */
export function callerFor(
  deps: { db: Db; cache?: Cache; stripe?: () => Stripe },
  headers: Headers = new Headers(),
  ip = "203.0.113.7",
) {
  const resHeaders = new Headers();
  const ctx: Context = {
    db: deps.db,
    cache: deps.cache ?? new Cache(null),
    stripe: deps.stripe ?? noStripe,
    headers,
    resHeaders,
    ip,
  };
  return { caller: createCaller(ctx), resHeaders };
}

/** A signed-in staff member's caller (an admin unless `role` says otherwise). */
export async function adminCaller(
  deps: { db: Db; cache?: Cache; stripe?: () => Stripe },
  label = "ops",
  role: AdminRole = "admin",
) {
  const admin = await makeAdmin(deps.db, label, role);
  const session = await createAdminSession(deps.db, admin.id);
  return { admin, ...callerFor(deps, cookieHeaders(session.token)) };
}
