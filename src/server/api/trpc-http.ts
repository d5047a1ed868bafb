import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appUrl } from "@/env";
import { appServices } from "@/server/app-services";
import { sameOriginProblem } from "@/server/features/security/same-origin";
import { readBodyCapped } from "@/server/lib/body-limit";
import { AppError } from "@/server/lib/errors";
import { withLogContext } from "@/server/lib/log";
import { REQUEST_ID_HEADER, requestIdOf } from "@/server/lib/request-id";
import { TRPC_MAX_BATCH } from "@/shared/trpc-limits";
import { createContext } from "./context";
import { appRouter } from "./root";

/** The largest tRPC request body: a full booking is about 3 KiB; anything near this is not the app. */
export const TRPC_MAX_BODY_BYTES = 64 * 1024;
export { TRPC_MAX_BATCH };

/**
 * `/api/trpc` in front of tRPC's fetch adapter. Before any procedure runs: POSTs must be same-origin JSON
 * (a cross-site form post is refused with 403), a batch may hold at most TRPC_MAX_BATCH calls, and a
 * body larger than TRPC_MAX_BODY_BYTES is refused with 413 without being read to the end. Queries may be
 * POSTed (method override), which is how the app keeps email addresses out of URLs.
 */
export async function handleTrpcRequest(incoming: Request): Promise<Response> {
  // Every log line of this request carries its id (set by src/proxy.ts, which also returns it).
  const requestId = requestIdOf(incoming.headers);
  const res = await withLogContext({ requestId }, () => handle(incoming));
  // Called without the proxy (tests, another server): the id made here goes back to the caller. Through
  // the proxy it is already on the response, and setting it twice could list it twice.
  if (incoming.headers.get(REQUEST_ID_HEADER) !== requestId) res.headers.set(REQUEST_ID_HEADER, requestId);
  return res;
}

async function handle(incoming: Request): Promise<Response> {
  let req = incoming;
  const url = new URL(req.url);
  const path = url.pathname.replace(/^.*\/api\/trpc\/?/, "");
  const calls = url.searchParams.get("batch") === "1" ? Math.max(path.split(",").length, 1) : 0;
  if (req.method === "POST") {
    const problem = sameOriginProblem(req.headers, appUrl());
    if (problem)
      return refusal({ status: 403, code: "FORBIDDEN", reason: "CROSS_SITE_REQUEST" }, problem, path, calls);
  }
  if (calls > TRPC_MAX_BATCH) {
    const message = `A batch may hold at most ${TRPC_MAX_BATCH} calls; this one has ${calls}. Send them in smaller batches.`;
    return refusal({ status: 400, code: "BAD_REQUEST", reason: "BATCH_TOO_LARGE" }, message, path, calls);
  }
  if (req.method === "POST") {
    const body = await readBodyCapped(req, TRPC_MAX_BODY_BYTES);
    if (!body) {
      const message = `The request is too large: at most ${TRPC_MAX_BODY_BYTES / 1024} KiB are accepted.`;
      return refusal(
        { status: 413, code: "PAYLOAD_TOO_LARGE", reason: "BODY_TOO_LARGE" },
        message,
        path,
        calls,
      );
    }
    req = new Request(req.url, { method: "POST", headers: req.headers, body, signal: req.signal });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH,
    allowMethodOverride: true,
    createContext: ({ resHeaders }) =>
      createContext({ svc: appServices(), headers: req.headers, resHeaders, method: req.method }),
    responseMeta: ({ errors }) => {
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

const JSON_RPC_CODES = { FORBIDDEN: -32003, BAD_REQUEST: -32600, PAYLOAD_TOO_LARGE: -32413 } as const;

/**
 * A refusal shaped like a tRPC error (superjson envelope, one per call for batches), so the app's client
 * shows the message like any other and reads `details.reason`.
 */
function refusal(
  e: { status: number; code: keyof typeof JSON_RPC_CODES; reason: string },
  message: string,
  path: string,
  calls: number,
): Response {
  const error = {
    error: {
      json: {
        message,
        code: JSON_RPC_CODES[e.code],
        data: { code: e.code, httpStatus: e.status, path, reason: e.reason, details: { reason: e.reason } },
      },
    },
  };
  return Response.json(calls ? Array.from({ length: Math.min(calls, 1000) }, () => error) : error, {
    status: e.status,
    headers: { "cache-control": "no-store" },
  });
}
