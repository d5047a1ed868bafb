import createMiddleware from "next-intl/middleware";
import { NextRequest, NextResponse } from "next/server";
import { env, isDevelopmentServer, isProduction } from "./env";
import { routing } from "./i18n/routing";
import {
  apiSecurityHeaders,
  commonSecurityHeaders,
  newNonce,
  pageContentSecurityPolicy,
} from "./server/features/security/headers";
import { REQUEST_ID_HEADER, requestIdFor } from "./server/lib/request-id";

const intl = createMiddleware(routing);

/** Traveller pages go through next-intl (language from the URL, then the cookie, then Accept-Language). */
function localised(pathname: string): boolean {
  return !/^\/(api|admin|_next|_vercel)/.test(pathname) && !pathname.includes(".");
}

/**
 * Runs before every request but static build files and tRPC calls. It sets the security headers (a per-request CSP
 * nonce for pages, handed to Next through the request headers) and picks the traveller's language.
 * Security checks never live here: the admin guard runs inside each procedure and route.
 */
export default function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const common = commonSecurityHeaders(isProduction);
  // Handed to the route through the request headers (its log lines carry it) and back to the client.
  const requestId = requestIdFor(request.headers, env.TRUSTED_PROXY_HOPS);
  if (pathname.startsWith("/api/")) {
    const headers = new Headers(request.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    const response = NextResponse.next({ request: { headers } });
    for (const [k, v] of Object.entries(apiSecurityHeaders(isProduction))) response.headers.set(k, v);
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  }
  const nonce = newNonce();
  const csp = pageContentSecurityPolicy({ nonce, production: isProduction, devServer: isDevelopmentServer });
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = localised(pathname)
    ? intl(new NextRequest(request, { headers }))
    : NextResponse.next({ request: { headers } });
  for (const [k, v] of Object.entries(common)) response.headers.set(k, v);
  response.headers.set("content-security-policy", csp);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

/** Not for static build files, nor for tRPC calls, which set their own headers (`handleTrpcRequest`). */
export const config = {
  matcher: ["/((?!_next/static|_next/image|api/trpc/).*)"],
};
