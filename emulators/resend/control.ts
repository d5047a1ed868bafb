// Test-only control API under /_emulator/ (no auth, JSON). Not part of Resend: it lets tests inject
// faults and read what was "sent" without going through the public API (which would hit the rate
// limit, fail-next and the request log themselves).
import type { IncomingMessage } from "node:http";
import { type Latency, latencyControl } from "../shared/latency";
import { parseJson, readBody } from "./http-util";
import type { EmulatorState, FailNextOptions } from "./state";

export interface ControlResponse {
  status: number;
  body: unknown;
}

const INJECTABLE = [500, 429, 503] as const;

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

export function parseFailNext(body: unknown): FailNextOptions | string {
  if (typeof body !== "object" || body === null) return "Body must be a JSON object.";
  const { count, status, retryAfter } = body as Record<string, unknown>;
  if (!isPositiveInteger(count) || count > 10_000) return "`count` must be an integer between 1 and 10000.";
  if (!INJECTABLE.includes(status as (typeof INJECTABLE)[number])) return "`status` must be 500, 429 or 503.";
  if (retryAfter !== undefined && !isPositiveInteger(retryAfter)) {
    return "`retryAfter` must be a positive integer (seconds).";
  }
  return { count, status: status as FailNextOptions["status"], retryAfter };
}

export function parseDown(body: unknown): number | string {
  const seconds = (body as Record<string, unknown> | null)?.seconds;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) {
    return "`seconds` must be a number between 0 and 86400 (0 ends an outage).";
  }
  return seconds;
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const parsed = parseJson(await readBody(req, 64 * 1024));
  return parsed.ok ? parsed.value : undefined;
}

const bad = (message: string): ControlResponse => ({ status: 400, body: { error: message } });

export interface ControlContext {
  state: EmulatorState;
  now: () => number;
  /** Clears everything, including idempotency keys and rate windows kept outside `state`. */
  reset: () => void;
  latency: Latency;
}

export async function handleControl(
  req: IncomingMessage,
  path: string,
  ctx: ControlContext,
): Promise<ControlResponse> {
  const { state, now } = ctx;
  const endpoint = `${req.method ?? "GET"} ${path}`;
  if (
    endpoint === "GET /_emulator/latency" ||
    endpoint === "POST /_emulator/delay" ||
    endpoint === "POST /_emulator/hang"
  ) {
    const body = req.method === "POST" ? await readBody(req, 64 * 1024) : "";
    const parsed = body.trim() === "" ? { ok: true as const, value: undefined } : parseJson(body);
    if (!parsed.ok) return bad("Body must be a JSON object.");
    return latencyControl(ctx.latency, req.method ?? "GET", path, parsed.value, now()) as ControlResponse;
  }
  switch (endpoint) {
    case "GET /_emulator/emails":
      return { status: 200, body: { data: state.emails() } };
    case "GET /_emulator/requests":
      return { status: 200, body: { data: state.requests() } };
    case "POST /_emulator/fail-next": {
      const options = parseFailNext(await jsonBody(req));
      if (typeof options === "string") return bad(options);
      state.failNext(options);
      return { status: 200, body: { ok: true } };
    }
    case "POST /_emulator/down": {
      const seconds = parseDown(await jsonBody(req));
      if (typeof seconds === "string") return bad(seconds);
      state.down(seconds, now());
      return { status: 200, body: { ok: true, until: seconds > 0 ? now() + seconds * 1000 : null } };
    }
    case "POST /_emulator/reset":
      ctx.reset();
      return { status: 200, body: { ok: true } };
    default:
      return { status: 404, body: { error: `Unknown control endpoint ${endpoint}.` } };
  }
}
