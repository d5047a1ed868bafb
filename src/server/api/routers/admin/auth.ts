import { z } from "zod";
import { isProduction } from "@/env";
import { login, logout } from "@/server/features/auth/login";
import {
  clearedSessionCookie,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
} from "@/server/features/auth/session";
import { adminProcedure, createTRPCRouter, publicProcedure } from "../../trpc";

const loginInput = z.object({
  email: z.string({ error: "Give your email address." }).trim().min(3, "Give your email address.").max(254),
  // No length rule shown here: the login form must not hint at the password policy.
  password: z.string({ error: "Give your password." }).min(1, "Give your password.").max(1024),
});

/**
 * admin.auth — sign-in and the current admin. The session lives only in the HttpOnly `traverse_admin`
 * cookie (SameSite=Lax, Secure in production); the token is never returned in a body.
 */
export const adminAuthRouter = createTRPCRouter({
  /** Public. Sets the session cookie. Wrong password, unknown email and locked account: same UNAUTHORIZED message. */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const r = await login(ctx.db, { email: input.email, password: input.password, ip: ctx.ip });
    ctx.resHeaders?.append("set-cookie", sessionCookie(r.token, r.expiresAt, isProduction));
    return { email: r.admin.email, name: r.admin.name, expiresAt: r.expiresAt };
  }),
  /** Ends this session and clears the cookie. */
  logout: adminProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.db, readCookie(ctx.headers, SESSION_COOKIE), ctx.admin);
    ctx.resHeaders?.append("set-cookie", clearedSessionCookie(isProduction));
    return { ok: true as const };
  }),
  /** The signed-in admin; UNAUTHORIZED when there is no valid session (the UI redirects to the login page). */
  me: adminProcedure.query(({ ctx }) => ({
    id: ctx.admin.userId,
    email: ctx.admin.email,
    name: ctx.admin.name,
    expiresAt: ctx.admin.expiresAt,
  })),
});
