// Test-only control API under /_emulator/ (JSON, no auth, not part of Upstash): slow or hung answers,
// and how many API requests arrived, so a test can tell "the client talks to Redis again" from
// "the client only says so".
import { type Latency, latencyControl } from "../shared/latency";

export interface ControlContext {
  latency: Latency;
  /** API requests received since start (or the last reset). */
  requests(): number;
  /** Ends injected faults and zeroes the request count; the data stays (FLUSHALL is a command). */
  reset(): void;
  now(): number;
}

export function handleControl(
  ctx: ControlContext,
  method: string,
  path: string,
  rawBody: string,
): { status: number; body: unknown } {
  let body: unknown;
  try {
    body = rawBody.trim() === "" ? undefined : JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { error: "Body must be JSON." } };
  }
  const latency = latencyControl(ctx.latency, method, path, body, ctx.now());
  if (latency) return latency;
  if (method === "GET" && path === "/_emulator/requests")
    return { status: 200, body: { count: ctx.requests() } };
  if (method === "POST" && path === "/_emulator/reset") {
    ctx.reset();
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: { error: `Unknown control route ${method} ${path}.` } };
}
