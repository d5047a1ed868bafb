import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appUrl } from "@/env";
import { createContext } from "@/server/api/context";
import { appRouter } from "@/server/api/root";
import { sameOriginProblem } from "@/server/features/security/same-origin";

export const dynamic = "force-dynamic";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createContext({ headers: req.headers, resHeaders }),
  });

/**
 * Every POST (all tRPC mutations, and batched queries) must be same-origin JSON before it reaches a
 * procedure: a cross-site form post is refused here with 403. The body is shaped like a tRPC error
 * (superjson envelope, one per call for batches) so the app's client shows the message like any other.
 */
async function post(req: Request): Promise<Response> {
  const problem = sameOriginProblem(req.headers, appUrl());
  if (!problem) return handler(req);
  const url = new URL(req.url);
  const path = url.pathname.replace(/^.*\/api\/trpc\/?/, "");
  const error = {
    error: {
      json: {
        message: problem,
        code: -32003,
        data: { code: "FORBIDDEN", httpStatus: 403, path, reason: "CROSS_SITE_REQUEST" },
      },
    },
  };
  const calls = url.searchParams.get("batch") === "1" ? Math.max(path.split(",").length, 1) : 0;
  return Response.json(calls ? Array.from({ length: calls }, () => error) : error, {
    status: 403,
    headers: { "cache-control": "no-store" },
  });
}

export { handler as GET, post as POST };
