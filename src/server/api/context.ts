import { getDb } from "@/server/db/client";
import { getCache } from "@/server/features/cache/instance";
import { getStripe } from "@/server/features/payments/stripe-client";
import type { Context } from "./trpc";

/** The client IP as the load balancer saw it; only used (hashed) for rate limiting, never logged. */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}

export function createContext(opts: { headers: Headers; resHeaders?: Headers }): Context {
  return {
    db: getDb(),
    cache: getCache(),
    stripe: getStripe,
    headers: opts.headers,
    resHeaders: opts.resHeaders,
    ip: clientIp(opts.headers),
  };
}
