/**
 * Security headers for every response, set by src/proxy.ts (by `handleTrpcRequest` for tRPC calls, which
 * the proxy skips). Pages get a Content-Security-Policy with a
 * fresh nonce per request: Next reads the nonce from the request's CSP header and stamps it on its own
 * scripts, and 'strict-dynamic' lets those load the rest. That only works for pages rendered per request,
 * which is why the root layouts opt into dynamic rendering.
 */

export interface PolicyOptions {
  nonce: string;
  /** Production: HSTS and upgrade-insecure-requests (development and tests run over plain http). */
  production: boolean;
  /** `next dev`: React's dev build needs eval for its error overlay. */
  devServer: boolean;
}

export function newNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString("base64");
}

/** The policy for HTML pages. */
export function pageContentSecurityPolicy(o: PolicyOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.devServer ? " 'unsafe-eval'" : ""}`,
    // Inline styles stay allowed: React style attributes (charts, progress bars) and the toast library's
    // injected <style> carry no nonce, and styles cannot run code. Scripts are what the nonce protects.
    "style-src 'self' 'unsafe-inline'",
    // data: for the QR codes on ticket pages; blob: for generated downloads.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(o.production ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** API answers are data, never documents: nothing may load or frame them. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** An API answer's headers: the common ones and the data-only policy (src/proxy.ts, `handleTrpcRequest`). */
export function apiSecurityHeaders(production: boolean): Record<string, string> {
  return { ...commonSecurityHeaders(production), "content-security-policy": API_CONTENT_SECURITY_POLICY };
}

/** Everything but the CSP, the same for pages and API routes. */
export function commonSecurityHeaders(production: boolean): Record<string, string> {
  return {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    // Two years, subdomains included. Production only: over plain http (development, tests) browsers
    // ignore it, and on localhost it would stick to every other local project.
    ...(production ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
