// Local stand-in for the Resend API: the official `resend` SDK talks to it unchanged via
// `new Resend(key, { baseUrl })` or RESEND_BASE_URL. One port serves the API, the inbox page and the
// test-only control API under /_emulator/. State is in memory and lost on close.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type ApiContext, handleApi, idempotencyKeyOf } from "./api";
import { Latency, type LatencyState } from "../shared/latency";
import { handleControl, parseDown, parseFailNext } from "./control";
import { errors } from "./errors";
import { sendHtml, sendJson } from "./http-util";
import { IdempotencyStore } from "./idempotency";
import { renderInboxDetail, renderInboxList, renderNotFound } from "./inbox-page";
import { SlidingWindowRateLimiter } from "./rate-limiter";
import { type CapturedEmail, EmulatorState, type FailNextOptions, type RequestLogEntry } from "./state";
import { listen } from "../shared/http";

export type { CapturedEmail, FailNextOptions, RequestLogEntry } from "./state";

export interface ResendEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** If set, the Bearer token must match; otherwise any non-empty `re_…` key is accepted. */
  apiKey?: string;
  /** Sliding 1-second window per API key; null/absent = no limit. Resend's default is 2/s. */
  rateLimit?: { requestsPerSecond: number } | null;
  /** One line per API request (method, path, status, duration) — never keys or bodies. */
  log?: (line: string) => void;
  /** Clock in epoch ms; tests pass one to move past the 24 h idempotency window or an outage. */
  now?: () => number;
}

export interface ResendEmulator {
  /** Base URL for the SDK's `baseUrl`, e.g. http://127.0.0.1:8025 (no trailing slash). */
  url: string;
  close(): Promise<void>;
  /** Captured emails, newest first (same as GET /_emulator/emails). */
  emails(): CapturedEmail[];
  /** API request log in arrival order (same as GET /_emulator/requests). */
  requests(): RequestLogEntry[];
  /** The next `count` API requests answer `status` (same as POST /_emulator/fail-next). */
  failNext(options: FailNextOptions): void;
  /** Every API request answers 500 for `seconds` (same as POST /_emulator/down); 0 ends it. */
  down(seconds: number): void;
  /** Every API request waits `ms` before it is handled (same as POST /_emulator/delay); 0 ends it. */
  delay(ms: number): void;
  /** API requests get no answer until `hang(false)` (same as POST /_emulator/hang). */
  hang(on: boolean): void;
  latencyState(): LatencyState;
  /** Forget emails, requests, idempotency keys, rate windows and injected faults. */
  reset(): void;
}

const DEFAULT_ADVERTISED_LIMIT = 2;

export async function startResendEmulator(options: ResendEmulatorOptions = {}): Promise<ResendEmulator> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const rate = options.rateLimit?.requestsPerSecond;
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1)) {
    throw new Error("rateLimit.requestsPerSecond must be a positive integer");
  }
  const state = new EmulatorState();
  const idempotency = new IdempotencyStore();
  const limiter = rate !== undefined ? new SlidingWindowRateLimiter(rate) : null;
  const latency = new Latency(now);
  const api: ApiContext = {
    state,
    idempotency,
    limiter,
    apiKey: options.apiKey,
    advertisedLimit: rate ?? DEFAULT_ADVERTISED_LIMIT,
    now,
  };
  const reset = () => {
    latency.reset();
    state.reset();
    idempotency.reset();
    limiter?.reset();
  };

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const time = now();
    const started = performance.now();
    // Injected slowness (control API): `time` stays the arrival time, the answer comes later.
    await latency.gate(req.method ?? "GET", url.pathname);
    let response: Awaited<ReturnType<typeof handleApi>>;
    try {
      response = await handleApi(req, url, api);
    } catch (error) {
      log(`resend emulator: internal error: ${error instanceof Error ? error.message : String(error)}`);
      response = errors.internal(500);
    }
    state.record({
      time,
      method: req.method ?? "GET",
      path: url.pathname,
      status: response.status,
      idempotencyKey: idempotencyKeyOf(req),
    });
    sendJson(res, response.status, response.body, response.headers);
    log(
      `resend emulator: ${req.method} ${url.pathname} ${response.status} ${Math.round(performance.now() - started)}ms`,
    );
  }

  function serveInbox(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendHtml(res, 405, renderNotFound());
      return;
    }
    if (path === "/") {
      sendHtml(res, 200, renderInboxList(state.emails()));
      return;
    }
    const email = state.findEmail(decodeURIComponent(path.slice("/inbox/".length)));
    if (email) sendHtml(res, 200, renderInboxDetail(email));
    else sendHtml(res, 404, renderNotFound());
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const path = url.pathname;
    const handle = async () => {
      if (path === "/" || /^\/inbox\/[^/]+$/.test(path)) return serveInbox(req, res, path);
      if (path.startsWith("/_emulator/")) {
        const result = await handleControl(req, path, { state, now, reset, latency });
        return sendJson(res, result.status, result.body);
      }
      return serveApi(req, res, url);
    };
    handle().catch((error: unknown) => {
      log(`resend emulator: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, errors.internal(500).body);
      else res.destroy();
    });
  });

  const { url } = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        latency.reset();
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK's fetch keeps connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
    emails: () => state.emails(),
    requests: () => state.requests(),
    failNext: (failNextOptions) => {
      const parsed = parseFailNext(failNextOptions);
      if (typeof parsed === "string") throw new Error(parsed);
      state.failNext(parsed);
    },
    down: (seconds) => {
      const parsed = parseDown({ seconds });
      if (typeof parsed === "string") throw new Error(parsed);
      state.down(parsed, now());
    },
    delay: (ms) => latency.setDelay({ ms, method: null, path: null }),
    hang: (on) => latency.setHang(on ? { method: null, path: null, until: null } : null),
    latencyState: () => latency.state(),
    reset,
  };
}
