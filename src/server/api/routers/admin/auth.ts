import { logoutEverywhere } from "@/server/features/auth/admins";
import { login, loginInput, logout } from "@/server/features/auth/login";
import { clearedSessionCookie, sessionCookie, sessionToken } from "@/server/features/auth/session";
import { isAppError } from "@/server/lib/errors";
import { createTRPCRouter, publicProcedure, staffProcedure } from "../../trpc";

/**
 * admin.auth — sign-in and the current staff member, whatever their role. The session lives only in the
 * HttpOnly session cookie (`__Host-` and Secure in production); the token is never returned in a body.
 */
export const adminAuthRouter = createTRPCRouter({
  /**
   * Public. Sets the session cookie. Wrong password and unknown email: the same UNAUTHORIZED message.
   * A client that keeps failing on an account waits longer each time: TOO_MANY_REQUESTS with `retry-after`.
   */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    try {
      const r = await login(ctx.svc, { ...input, ip: ctx.ip });
      ctx.resHeaders?.append("set-cookie", sessionCookie(r.token, r.expiresAt));
      return { email: r.admin.email, name: r.admin.name, role: r.admin.role, expiresAt: r.expiresAt };
    } catch (e) {
      const wait = isAppError(e) ? e.details?.retryAfterSeconds : undefined;
      if (typeof wait === "number") ctx.resHeaders?.set("retry-after", String(wait));
      throw e;
    }
  }),
  /** Ends this session and clears the cookie. */
  logout: staffProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.svc, ctx.actor, sessionToken(ctx.headers));
    ctx.resHeaders?.append("set-cookie", clearedSessionCookie());
    return { ok: true as const };
  }),
  /** Ends every session of the signed-in staff member, on every device, this one included. */
  logoutEverywhere: staffProcedure.mutation(async ({ ctx }) => {
    const r = await logoutEverywhere(ctx.svc, ctx.actor, { userId: ctx.actor.userId });
    ctx.resHeaders?.append("set-cookie", clearedSessionCookie());
    return r;
  }),
  /** The signed-in staff member; UNAUTHORIZED when there is no valid session (the UI goes to the login page). */
  me: staffProcedure.query(({ ctx }) => ({
    id: ctx.actor.userId,
    email: ctx.actor.email,
    name: ctx.actor.name,
    role: ctx.actor.role,
    expiresAt: ctx.actor.expiresAt,
  })),
});
