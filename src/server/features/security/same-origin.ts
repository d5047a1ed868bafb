import { AppError } from "@/server/lib/errors";

/**
 * CSRF defence for state-changing requests: mutations accept only JSON requests from the app's own
 * origin. Two independent checks:
 *
 * 1. The body must be `application/json`. A cross-site HTML form can only send urlencoded, multipart or
 *    text/plain bodies, and a cross-site `fetch` with a JSON content type needs a CORS preflight that we
 *    never grant. (tRPC itself would also accept multipart/form-data and octet-stream mutations, which is
 *    exactly what a form can send — so they are refused here.)
 * 2. When the browser says where the request comes from (`Origin`, `Sec-Fetch-Site`), it must be us.
 *    The app's configured origin (APP_URL) and the origin of the `Host` the request was sent to both count
 *    as us: a page can only make the browser send our Host with its own Origin if it *is* that origin, and
 *    this keeps `localhost` vs `127.0.0.1` in development from breaking the app.
 *
 * Requests with neither header come from servers and scripts, not browsers, so they carry no victim's
 * cookie and are let through (the RSC caller does not go over HTTP at all).
 */
export function assertSameOriginJson(headers: Headers, appOrigin: string): void {
  const problem = sameOriginProblem(headers, appOrigin);
  if (problem) throw new AppError("CROSS_SITE_REQUEST", problem);
}

export function sameOriginProblem(headers: Headers, appOrigin: string): string | null {
  const contentType = headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  if (contentType !== "application/json") {
    return "This request was refused: changes are only accepted as JSON sent by the Traverse app itself.";
  }
  const fetchSite = headers.get("sec-fetch-site")?.toLowerCase();
  // `same-site` is a sibling subdomain — not this app, and possibly someone else's page.
  if (fetchSite === "cross-site" || fetchSite === "same-site") {
    return "This request was refused: it came from another website.";
  }
  const origin = headers.get("origin");
  if (origin !== null && !isOwnOrigin(origin, headers, appOrigin)) {
    return "This request was refused: it came from another website.";
  }
  return null;
}

function isOwnOrigin(origin: string, headers: Headers, appOrigin: string): boolean {
  // Sandboxed frames and some redirects send the literal "null": never ours.
  if (origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  try {
    if (parsed.origin === new URL(appOrigin).origin) return true;
  } catch {
    // A malformed APP_URL falls through to the Host comparison.
  }
  // TLS usually ends at the load balancer, so compare host:port only, not the scheme.
  const host = headers.get("host");
  return host !== null && parsed.host === host.toLowerCase();
}
