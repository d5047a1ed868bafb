import { env } from "@/env";
import { getDb } from "@/server/db/client";
import { getCache } from "@/server/features/cache/instance";
import { getStripe } from "@/server/features/payments/stripe-client";
import { clientAddress } from "@/server/features/security/client-address";
import { requestLocale } from "@/server/lib/request-locale";
import type { Context } from "./trpc";

/**
 * The client address as our own proxies saw it (TRUSTED_PROXY_HOPS), for per-client limits only: it is
 * hashed before it is stored and never logged. Every per-client limit gets its address from here.
 */
export function clientIp(headers: Headers): string {
  return clientAddress(headers, env.TRUSTED_PROXY_HOPS);
}

export function createContext(opts: { headers: Headers; resHeaders?: Headers; method?: string }): Context {
  return {
    db: getDb(),
    cache: getCache(),
    stripe: getStripe,
    headers: opts.headers,
    resHeaders: opts.resHeaders,
    method: opts.method,
    ip: clientIp(opts.headers),
    locale: requestLocale(opts.headers),
  };
}
