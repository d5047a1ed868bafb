import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appUrl, env, isProduction } from "@/env";
import { appServices } from "@/server/app-services";
import { apiSecurityHeaders } from "@/server/features/security/headers";
import { sameOriginProblem } from "@/server/features/security/same-origin";
import { readBodyCapped } from "@/server/lib/body-limit";
import { AppError } from "@/server/lib/errors";
import { withLogContext } from "@/server/lib/log";
import { REQUEST_ID_HEADER, requestIdFor } from "@/server/lib/request-id";
import { TRPC_MAX_BATCH } from "@/shared/trpc-limits";
import { createContext } from "./context";
import { toTRPCError } from "./trpc";
import { appRouter } from "./root";

/** The largest tRPC request body: a full booking is about 3 KiB; anything near this is not the app. */
export const TRPC_MAX_BODY_BYTES = 64 * 1024;
export { TRPC_MAX_BATCH };

/**
 * `/api/trpc` in front of tRPC's fetch adapter. Before any procedure runs: POSTs must be same-origin JSON
 * (a cross-site form post is refused with 403), a batch may hold at most TRPC_MAX_BATCH calls, and a
 * body larger than TRPC_MAX_BODY_BYTES is refused with 413 without being read to the end. Queries may be
 * POSTed (method override), which is how the app keeps email addresses out of URLs.
 *
 * A refusal is thrown from `createContext`, so tRPC itself answers it: one error per call of a batch,
 * shaped by the error formatter (`src/server/api/trpc.ts`) like any other refusal.
 */
export async function handleTrpcRequest(incoming: Request): Promise<Response> {
  // src/proxy.ts does not run for /api/trpc/…: this is the app's busiest path, and the proxy is a whole
  // pass of its own over each request (docs/performance.md). What it did for these answers is done here:
  // the request's id (every log line carries it; a trusted proxy's is kept) and the API headers.
  const requestId = requestIdFor(incoming.headers, env.TRUSTED_PROXY_HOPS);
  const res = await withLogContext({ requestId }, () => handle(incoming, requestId));
  for (const [k, v] of Object.entries(apiSecurityHeaders(isProduction))) res.headers.set(k, v);
  res.headers.set(REQUEST_ID_HEADER, requestId);
  return res;
}

async function handle(incoming: Request, requestId: string): Promise<Response> {
  let req = incoming;
  let refused: AppError | null = null;
  if (req.method === "POST") {
    const problem = sameOriginProblem(req.headers, appUrl());
    if (problem) refused = new AppError("CROSS_SITE_REQUEST", problem);
    else {
      const body = await readBodyCapped(req, TRPC_MAX_BODY_BYTES);
      if (body)
        req = new Request(req.url, { method: "POST", headers: req.headers, body, signal: req.signal });
      else
        refused = new AppError(
          "BODY_TOO_LARGE",
          `The request is too large: at most ${TRPC_MAX_BODY_BYTES / 1024} KiB are accepted.`,
        );
    }
    // tRPC reads the path and content type before the context, never the body of a refused request:
    // give it an empty JSON POST so a form post is refused as cross-site, not as an unknown media type.
    if (refused) req = emptyJsonPost(req);
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    allowMethodOverride: true,
    createContext: ({ resHeaders, info }) => {
      const calls = info.isBatchCall ? info.calls.length : 1;
      if (!refused && calls > TRPC_MAX_BATCH) {
        const message = `A batch may hold at most ${TRPC_MAX_BATCH} calls; this one has ${calls}. Send them in smaller batches.`;
        refused = new AppError("BATCH_TOO_LARGE", message);
      }
      if (refused) throw toTRPCError(refused);
      const context = { svc: appServices(), headers: req.headers, resHeaders, method: req.method };
      return createContext({ ...context, requestId });
    },
    responseMeta: ({ errors }) => {
      // A request refused as a whole is never worth keeping in a cache.
      if (refused) return { headers: { "cache-control": "no-store" } };
      // A refusal that says when to come back (rate limits) tells HTTP clients too.
      let retryAfter = 0;
      for (const e of errors) {
        const s = e.cause instanceof AppError ? Number(e.cause.details?.retryAfterSeconds) : 0;
        if (Number.isFinite(s) && s > retryAfter) retryAfter = s;
      }
      return retryAfter > 0 ? { headers: { "retry-after": String(Math.ceil(retryAfter)) } } : {};
    },
  });
}

function emptyJsonPost(req: Request): Request {
  return new Request(req.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    signal: req.signal,
  });
}
