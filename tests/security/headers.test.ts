import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import proxy from "@/proxy";
import { clearedSessionCookie, sessionCookie, sessionCookieName } from "@/server/features/auth/session";
import { commonSecurityHeaders, pageContentSecurityPolicy } from "@/server/features/security/headers";

/**
 * What src/proxy.ts puts on responses. The production build in a browser is covered by
 * e2e/security.spec.ts; here the rules themselves, per mode, and the proxy on its own.
 */

describe("content security policy", () => {
  const nonce = "bm9uY2Utb2YtdGhlLWRheQ==";

  it("allows only scripts carrying this request's nonce (and what they load), and no framing", () => {
    const csp = pageContentSecurityPolicy({ nonce, production: true, devServer: false });
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("upgrade-insecure-requests");
  });

  it("lets `next dev` eval and keeps plain-http stacks un-upgraded", () => {
    const dev = pageContentSecurityPolicy({ nonce, production: false, devServer: true });
    expect(dev).toMatch(/script-src [^;]*'unsafe-eval'/);
    expect(dev).not.toContain("upgrade-insecure-requests");
    expect(pageContentSecurityPolicy({ nonce, production: false, devServer: false })).not.toContain(
      "unsafe-eval",
    );
  });

  it("sends HSTS in production only, and the other headers always", () => {
    const prod = commonSecurityHeaders(true);
    expect(prod["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    const test = commonSecurityHeaders(false);
    expect(test["strict-transport-security"]).toBeUndefined();
    for (const h of [prod, test]) {
      expect(h).toMatchObject({
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "permissions-policy": expect.stringContaining("camera=()"),
      });
    }
  });
});

describe("src/proxy.ts", () => {
  it("gives every page a fresh nonce, in the response's CSP and in the request Next renders", async () => {
    const nonces = new Set<string>();
    for (const path of ["/en", "/admin/login", "/fr/search?from=TUN&to=MRS"]) {
      const res = await proxy(new NextRequest(`http://localhost:3000${path}`));
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce!);
      // Next reads the request's CSP header to stamp its scripts: the proxy must forward both.
      expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
      expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      // Tests run in test mode: no HSTS over plain http.
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
    expect(nonces.size).toBe(3);
  });

  it("still picks the traveller's language, and leaves API answers a data-only policy", async () => {
    const home = await proxy(
      new NextRequest("http://localhost:3000/", { headers: { "accept-language": "fr" } }),
    );
    expect(home.headers.get("location")).toBe("http://localhost:3000/fr");
    expect(home.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const api = await proxy(new NextRequest("http://localhost:3000/api/health"));
    expect(api.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
    expect(api.headers.get("location")).toBeNull();
  });
});

describe("session cookie", () => {
  const expires = new Date("2027-01-01T12:00:00Z");

  it("is __Host- prefixed, Secure, Path=/ and without Domain in production", () => {
    expect(sessionCookieName(true)).toBe("__Host-traverse_admin");
    const c = sessionCookie("tok", expires, true);
    expect(c).toBe(
      "__Host-traverse_admin=tok; Path=/; HttpOnly; SameSite=Lax; Secure; Expires=Fri, 01 Jan 2027 12:00:00 GMT",
    );
    expect(c).not.toMatch(/Domain=/i);
    expect(clearedSessionCookie(true)).toBe(
      "__Host-traverse_admin=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0",
    );
  });

  it("keeps the plain name over http in development and tests (browsers refuse __Host- there)", () => {
    expect(sessionCookieName(false)).toBe("traverse_admin");
    expect(sessionCookie("tok", expires, false)).toBe(
      "traverse_admin=tok; Path=/; HttpOnly; SameSite=Lax; Expires=Fri, 01 Jan 2027 12:00:00 GMT",
    );
  });
});
