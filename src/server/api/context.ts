import { env } from "@/env";
import { clientAddress } from "@/server/features/security/client-address";
import { REQUEST_ID_HEADER } from "@/server/lib/request-id";
import { requestLocale } from "@/server/lib/request-locale";
import type { Services } from "@/server/services";
import type { Context } from "./trpc";

/**
 * The client address as our own proxies saw it (TRUSTED_PROXY_HOPS), for per-client limits only: it is
 * hashed before it is stored and never logged. Every per-client limit gets its address from here.
 */
export function clientIp(headers: Headers): string {
  return clientAddress(headers, env.TRUSTED_PROXY_HOPS);
}

/**
 * A page's context, for procedures called by server components (`serverApi`): the page request went
 * through src/proxy.ts, which put the request's id on it.
 */
export function pageContext(svc: Services, headers: Headers): Context {
  return createContext({ svc, headers, requestId: headers.get(REQUEST_ID_HEADER) ?? undefined });
}

/** The request's facts around the process's one Services object. */
export function createContext(opts: {
  svc: Services;
  headers: Headers;
  resHeaders?: Headers;
  method?: string;
  requestId?: string;
}): Context {
  return {
    svc: opts.svc,
    headers: opts.headers,
    resHeaders: opts.resHeaders,
    method: opts.method,
    requestId: opts.requestId,
    ip: clientIp(opts.headers),
    locale: requestLocale(opts.headers),
  };
}
