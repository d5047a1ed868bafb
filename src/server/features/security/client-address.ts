import ipaddr from "ipaddr.js";
import type { Locale } from "@/server/db/schema/bookings";

/**
 * Who is asking, for the limits on requests nobody signs in for (booking, looking a booking up): the
 * client address (`clientAddress`, hashed before it is stored, never logged) and the language refusals are
 * written in. The tRPC context (server/api/context.ts) provides both.
 */
export interface Client {
  ip: string;
  locale?: Locale;
}

/**
 * The bucket for every request whose address cannot be trusted: no proxy is configured, or the request
 * did not pass through all of them. Next.js route handlers do not expose the socket address (Next only
 * copies it into X-Forwarded-For when the client sent none, which the client controls), so without a
 * trusted proxy all direct clients share this one bucket; production runs behind a load balancer and
 * sets TRUSTED_PROXY_HOPS.
 */
export const UNTRUSTED_CLIENT = "direct";

/**
 * Who is asking, for per-client limits only (the result is hashed before it is stored, and never
 * logged). Each proxy appends the address it received the connection from, so the N-th entry from the
 * right was written by our own N-th proxy; everything to its left was written by the client.
 */
export function clientAddress(headers: Headers, trustedHops: number): string {
  if (trustedHops <= 0) return UNTRUSTED_CLIENT;
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length < trustedHops) return UNTRUSTED_CLIENT;
  return normaliseAddress(entries[entries.length - trustedHops] as string);
}

/**
 * One canonical form per client: ports and brackets dropped, IPv4-mapped IPv6 as IPv4, and IPv6 reduced
 * to its /64 (one subscriber's whole network; otherwise a single machine could rotate through 2^64
 * addresses to dodge a per-client limit). Garbage shares one bucket rather than choosing its own.
 */
export function normaliseAddress(raw: string): string {
  let v = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1] as string;
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (!ipaddr.isValid(v)) return "invalid";
  let addr = ipaddr.parse(v);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
  if (addr.kind() === "ipv4") return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(":")}::/64`;
}
