import { createHash, timingSafeEqual } from "node:crypto";
import type { RunMode } from "@/env";

/**
 * Who may read `/api/metrics` and the worker's metrics port. Production: only a scraper presenting
 * `Authorization: Bearer $METRICS_TOKEN`; with no token configured the endpoints stay closed (the site
 * still runs: monitoring is not a reason to refuse to sell tickets). Development and tests: the token
 * when one is configured, otherwise any request to a loopback address — a development server is not
 * exposed, and this is no protection beyond that.
 */
export type MetricsRefusal = { status: 401 | 403 | 404; message: string } | null;

export function metricsRefusal(opts: {
  headers: Headers;
  mode: RunMode;
  token: string | undefined;
  /** The address the request was made to (Host) or came from, when the transport tells it. */
  loopback: boolean;
}): MetricsRefusal {
  const { headers, mode, token } = opts;
  if (token) {
    const given = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
    if (given && sameSecret(given, token)) return null;
    return { status: 401, message: "Metrics need Authorization: Bearer <METRICS_TOKEN>." };
  }
  if (mode === "production") {
    return { status: 404, message: "Metrics are off: set METRICS_TOKEN to let a scraper read them." };
  }
  if (opts.loopback) return null;
  return { status: 403, message: "Without METRICS_TOKEN, metrics are served to loopback addresses only." };
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  const d = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(d(a), d(b));
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/** The Host header names this machine (a development server reached from itself). */
export function isLoopbackHost(host: string | null): boolean {
  return host !== null && LOOPBACK_HOST.test(host.trim());
}

/** A socket's remote address is this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}
