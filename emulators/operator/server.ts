// A connected operator's reservation system for local dev and tests: one process (or in-process
// server) per operator, speaking the JSON rendering of the FerryGateway flow described in README.md.
// State is in memory and lost on close.
import { createServer } from "node:http";
import { type ApiContext, CallLog, handleApi } from "./api";
import { ChangeFeed } from "./changes";
import { Clock } from "./clock";
import { handleControl } from "./control";
import { OperatorError } from "./errors";
import { Faults, type Latency } from "./faults";
import { sendJson } from "./http-util";
import { operatorRoutes } from "./network";
import { type RateLimit, TokenBucketLimiter } from "./rate-limiter";
import type { Ctx, EmulatorConfig } from "./sailings";
import { Store } from "./store";
import type { Change, OperatorCode } from "./types";
import { DEFAULT_RETRY, type PushView, type RetryPolicy, WebhookPusher } from "./webhooks";
import { listen } from "../shared/http";

/** Where `npm run dev` runs each operator's stand-in. */
export const OPERATOR_EMULATOR_PORTS: Record<OperatorCode, number> = { GNV: 12401, GRM: 12402 };
export const DEFAULT_LATENCY: Latency = { minMs: 300, maxMs: 1_200 };
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 20, burst: 20 };

export interface OperatorEmulatorOptions {
  code: OperatorCode;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, only this Bearer key is accepted; otherwise any non-empty key. */
  apiKey?: string;
  /** Per-call delay, uniform in [minMs, maxMs]; default 300–1200 ms; null = none. */
  latency?: Latency | null;
  /** Token bucket per API key; default 20/s with a burst of 20; null = no limit. */
  rateLimit?: RateLimit | null;
  /** Seeds latency draws and presold load (default 1). */
  seed?: number;
  /** Base clock (epoch ms function), or the instant the emulator's clock starts at (then it flows). */
  now?: (() => number) | string | Date;
  /** Push every change here, signed with `secret`. */
  webhook?: { url: string; secret: string; retry?: Partial<RetryPolicy>; timeoutMs?: number } | null;
  provisionalMinutes?: number;
  quoteMinutes?: number;
  salesCloseMinutes?: number;
  windowDays?: number;
  /** Largest share of each resource already sold through other channels (default 0.6; 0 = empty). */
  load?: number;
  /** One line per API call (operation, status, ms) — never keys or bodies. */
  log?: (line: string) => void;
}

export interface OperatorEmulator {
  code: OperatorCode;
  /** Base URL, e.g. http://127.0.0.1:12401 (no trailing slash); the API is under /ferrygateway/v1. */
  url: string;
  port: number;
  close(): Promise<void>;
  reset(): void;
  now(): number;
  setClock(instant: string | number): void;
  advanceClock(ms: number): void;
  calls(): ReturnType<CallLog["summary"]>;
  changes(): Change[];
  webhookDeliveries(): PushView[];
  /** Resolves when no push is in flight (scheduled retries do not count). */
  webhooksIdle(): Promise<void>;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
}

export async function startOperatorEmulator(options: OperatorEmulatorOptions): Promise<OperatorEmulator> {
  const { code } = options;
  if (code !== "GNV" && code !== "GRM") throw new Error(`unknown operator code ${String(code)}`);
  const latency = options.latency === undefined ? DEFAULT_LATENCY : options.latency;
  if (latency && !(latency.minMs >= 0 && latency.maxMs >= latency.minMs)) {
    throw new Error("latency needs 0 <= minMs <= maxMs");
  }
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  if (rateLimit && !(rateLimit.perSecond > 0 && rateLimit.burst >= 1)) {
    throw new Error("rateLimit needs perSecond > 0 and burst >= 1");
  }
  const load = options.load ?? 0.6;
  if (!(load >= 0 && load <= 0.9)) throw new Error("load must be between 0 and 0.9");
  const config: EmulatorConfig = {
    seed: options.seed ?? 1,
    load,
    windowDays: Math.floor(positive("windowDays", options.windowDays, 120)),
    provisionalMinutes: positive("provisionalMinutes", options.provisionalMinutes, 45),
    quoteMinutes: positive("quoteMinutes", options.quoteMinutes, 20),
    salesCloseMinutes: options.salesCloseMinutes ?? 120,
  };
  const log = options.log ?? (() => {});

  const base = typeof options.now === "function" ? options.now : Date.now;
  const clock = new Clock(base);
  const startOffset =
    options.now === undefined || typeof options.now === "function"
      ? 0
      : new Date(options.now).getTime() - base();
  if (Number.isNaN(startOffset)) throw new Error("now must be a valid instant");
  clock.reset(startOffset);

  const store = new Store();
  const feed = new ChangeFeed(code, () => clock.now());
  const ctx: Ctx = { code, routes: operatorRoutes(code), clock, store, feed, config };
  const faults = new Faults(config.seed, latency);
  const limiter = rateLimit ? new TokenBucketLimiter(rateLimit) : null;
  const calls = new CallLog();
  const webhook = options.webhook ? { url: options.webhook.url, secret: options.webhook.secret } : null;
  const pusher = new WebhookPusher(
    code,
    webhook,
    { ...DEFAULT_RETRY, ...options.webhook?.retry },
    options.webhook?.timeoutMs ?? 10_000,
    (line) => log(`operator ${code}: ${line}`),
  );
  feed.onAppend((change) => pusher.push(change));
  const api: ApiContext = { ctx, faults, limiter, apiKey: options.apiKey, calls };

  const reset = () => {
    store.reset();
    feed.reset();
    faults.reset();
    limiter?.reset();
    calls.reset();
    clock.reset(startOffset);
    pusher.reset(webhook);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const handle = async () => {
      if (url.pathname.startsWith("/_emulator/")) {
        const result = await handleControl(req, url, { ctx, faults, calls, pusher, reset });
        return sendJson(res, result.status, result.body);
      }
      const response = await handleApi(req, url, api);
      if (response.drop) {
        res.destroy();
      } else {
        sendJson(res, response.status, response.body, response.headers);
      }
      log(`operator ${code}: ${req.method} ${url.pathname} ${response.drop ? "dropped" : response.status}`);
    };
    handle().catch((error: unknown) => {
      log(`operator ${code}: internal error: ${error instanceof Error ? error.message : String(error)}`);
      const failure = new OperatorError(
        500,
        "INTERNAL_ERROR",
        "The reservation system failed to process the request.",
      );
      if (!res.headersSent) sendJson(res, 500, failure.body());
      else res.destroy();
    });
  });

  const { port, url } = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");

  return {
    code,
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        faults.endHang();
        pusher.reset(null);
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
    reset,
    now: () => clock.now(),
    setClock: (instant) => clock.set(typeof instant === "number" ? instant : Date.parse(instant)),
    advanceClock: (ms) => clock.advance(ms),
    calls: () => calls.summary(),
    changes: () => feed.all(),
    webhookDeliveries: () => pusher.views(),
    webhooksIdle: () => pusher.idle(),
  };
}
