import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Locale } from "@/server/db/schema/bookings";
import type { AdminRole } from "@/server/db/schema/admin";
import { ADMIN_ONLY, requireStaff, STAFF_ROLES } from "@/server/features/auth/guard";
import { AppError, isDatabaseUnavailable } from "@/server/lib/errors";
import { describeError } from "@/server/lib/describe-error";
import { type ErrorCode, genericCodeForStatus } from "@/shared/error-codes";
import { withLogContext } from "@/server/lib/log";
import { metrics } from "@/server/lib/metrics";
import { inSpan, SpanStatusCode } from "@/server/lib/tracing";
import type { Services } from "@/server/services";

export interface Context {
  /** The process's one Services object: what every feature function takes first. */
  svc: Services;
  headers: Headers;
  /** Response headers (cookies) when called over HTTP; absent for server-side callers. */
  resHeaders?: Headers;
  /** The HTTP method when called over HTTP; absent for server-side callers. */
  method?: string;
  /** The id the request's log lines carry (`src/server/lib/request-id.ts`). */
  requestId?: string;
  ip: string;
  /** From Accept-Language: the language of messages for requests whose input names none. */
  locale?: Locale;
}

export interface Meta {
  /**
   * The input carries personal data (an email address): the procedure is refused over GET, where the
   * input would sit in the URL and so in every access log on the way. Clients send it as a POST body.
   */
  sensitiveInput?: boolean;
}

/** A feature's refusal as tRPC throws it: the code and status come from the one table in `src/shared/error-codes.ts`. */
export function toTRPCError(e: AppError): TRPCError {
  return new TRPCError({ code: e.code, message: e.message, cause: e });
}

/** One readable sentence from zod issues: what is wrong and where, for a person to act on. */
export function describeZodError(e: ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join(" ");
}

const withMeta = initTRPC.context<Context>().meta<Meta>();
const t = withMeta.create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const app = cause instanceof AppError ? cause : null;
    const zod = cause instanceof ZodError ? cause : null;
    // A malformed request (bad JSON, a superjson envelope that does not decode) fails inside tRPC with
    // a raw JavaScript message; never show those. Our own messages (AppError, zod) are written for people.
    const unreadable = (error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR") && !zod && !app;
    // Input refusals (zod) and tRPC's own errors have no reason of their own: the generic code of their status.
    const reason: ErrorCode = app ? app.reason : genericCodeForStatus(shape.data.httpStatus);
    const retryAfterSeconds = app?.details?.retryAfterSeconds;
    return {
      ...shape,
      message: zod
        ? describeZodError(zod)
        : unreadable
          ? "The request could not be read. Send the input as JSON in the shape this procedure expects."
          : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        /** Why, from the one `ErrorCode` vocabulary: what clients branch on and pages translate. */
        reason,
        // Field-level messages so forms can show them next to the inputs.
        fieldErrors: zod
          ? Object.fromEntries(zod.issues.map((i) => [i.path.join("."), i.message]))
          : undefined,
        /** Rate limits and throttles: when to come back (also the `retry-after` header over HTTP). */
        retryAfterSeconds: typeof retryAfterSeconds === "number" ? retryAfterSeconds : undefined,
        details: app?.details,
      },
    };
  },
});

/**
 * Translates what features throw into tRPC errors: AppError keeps its code and message; a database that
 * is down becomes a 503 with a message to retry; anything else is a 500 whose detail stays in the log.
 */
const errorMapping = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const err = result.error;
  const cause = err.cause;
  if (cause instanceof AppError) throw toTRPCError(cause);
  if (err.code === "INTERNAL_SERVER_ERROR") {
    if (isDatabaseUnavailable(cause) || isDatabaseUnavailable(err)) {
      ctx.svc.log.warn("database unavailable", { path });
      throw toTRPCError(
        new AppError(
          "SERVICE_UNAVAILABLE",
          "Traverse is briefly unavailable. Nothing was changed; please try again in a minute.",
        ),
      );
    }
    ctx.svc.log.error("procedure failed", { path, error: describeError(cause ?? err) });
    throw toTRPCError(new AppError("INTERNAL", "Something went wrong on our side. Please try again."));
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Runs before the input is even parsed, so a lookup sent the wrong way does nothing at all. */
const noPersonalDataInUrls = t.middleware(({ meta, ctx, path, next }) => {
  if (meta?.sensitiveInput && ctx.method === "GET") {
    throw toTRPCError(
      new AppError(
        "POST_REQUIRED",
        `${path} takes an email address, which must never appear in a URL: send it as a POST with the input in the JSON body (tRPC clients: methodOverride "POST").`,
      ),
    );
  }
  return next();
});

/** tRPC codes that mean "our fault" in the duration histogram's outcome; all others are the client's. */
const SERVER_SIDE = new Set<TRPCError["code"]>(["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT"]);

/**
 * One span and one `traverse_http_request_duration_seconds` observation per procedure call, outside the
 * error mapping so the outcome is what the client gets. `path` is a procedure of the router (tRPC never
 * runs middleware for unknown paths), so the label stays a bounded set.
 */
const observed = t.middleware(({ ctx, path, next }) => {
  const end = metrics().httpDuration.startTimer({ procedure: path });
  // Server components call procedures without the HTTP handler: their log lines get the page request's id
  // here (`serverApi` reads the one src/proxy.ts put on the page request).
  const requestId = ctx.requestId;
  const attributes = { "rpc.system": "trpc", "rpc.method": path };
  return withLogContext({ requestId }, () =>
    inSpan(path, { attributes }, async (span) => {
      const result = await next();
      const outcome = result.ok ? "ok" : SERVER_SIDE.has(result.error.code) ? "server_error" : "client_error";
      end({ outcome });
      // tRPC hands errors back as results, not throws: record the code (never the message) on the span,
      // and mark it failed only when the fault is ours.
      if (!result.ok) {
        span.setAttribute("rpc.trpc.error_code", result.error.code);
        if (outcome === "server_error")
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.code });
      }
      return result;
    }),
  );
});

export const publicProcedure = t.procedure.use(observed).use(errorMapping).use(noPersonalDataInUrls);

/**
 * The signed-in tiers. `requireStaff` (server/features/auth/guard.ts, shared with the `/api/checkin`
 * route) loads the session from the database inside the procedure itself, never trusting middleware (Next
 * middleware can be bypassed), and checks the role: no session is UNAUTHORIZED, the wrong role FORBIDDEN.
 * Both come before input parsing, so nothing about the input reaches strangers.
 */
function signedIn(roles: readonly AdminRole[]) {
  return publicProcedure.use(async ({ ctx, next }) => {
    const actor = await requireStaff(ctx.svc, ctx.headers, roles);
    return next({ ctx: { ...ctx, actor } });
  });
}

/** Any staff member: admins and check-in staff (their own session, checking tickets in). */
export const staffProcedure = signedIn(STAFF_ROLES);

/** Admins only: everything that changes schedules, prices, bookings, emails, jobs, caches or accounts. */
export const adminProcedure = signedIn(ADMIN_ONLY);
