// Local Stripe stand-in: the real API's paths, shapes, errors and headers, so the official SDK
// works against it unchanged (`new Stripe(key, { host, port, protocol: "http" })`).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import qs from "qs";
import Stripe from "stripe";
import { type ApiContext, handleApi } from "./api";
import { expireDueSessions, expireSession, getSessionRecord } from "./checkout";
import { Latency } from "../shared/latency";
import { ControlError, type EmulatorControls, handleControl } from "./control";
import { ApiError, type StripeErrorBody } from "./errors";
import { isApiError, type Params, parseForm, readBody } from "./form";
import { renderNotFound, renderPayPage } from "./hosted-page";
import { apiKeyFrom, json, redactKey, send } from "./http";
import { fingerprint, IdempotencyCache } from "./idempotency";
import { randomToken } from "./ids";
import type { CheckoutSession, RequestRef, StripeEvent } from "./objects";
import { attemptPayment, type PayResult } from "./pay";
import type { RefundDeps } from "./refunds";
import { type Emit, NO_REQUEST, Store } from "./store";
import { type EventView, type RetryOptions, WebhookDispatcher } from "./webhooks";

export interface StripeEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Base for hosted page URLs; default http://localhost:<port>. */
  publicUrl?: string;
  webhookUrl?: string;
  webhookSecret: string;
  retry?: Partial<RetryOptions>;
  log?: (line: string) => void;
  /** api_version stamped on events; default: the version pinned by the installed stripe SDK. */
  apiVersion?: string;
  /** Shown on the hosted page. */
  businessName?: string;
  /** How long a refund set up to fail stays `pending` before it fails. */
  refundFailDelayMs?: number;
  /** Per-attempt timeout for webhook deliveries. */
  webhookTimeoutMs?: number;
}

export interface StripeEmulator extends EmulatorControls {
  url: string;
  port: number;
  close(): Promise<void>;
  event(id: string): EventView | undefined;
  /** Resolves once no webhook delivery is in flight. */
  waitForWebhooks(): Promise<void>;
}

const DEFAULT_RETRY: RetryOptions = { initialMs: 1_000, maxMs: 60_000, maxAttempts: 50 };
const DEFAULT_CARD = "4242 4242 4242 4242";
const JSON_HEADERS = { "content-type": "application/json" };

export async function startStripeEmulator(opts: StripeEmulatorOptions): Promise<StripeEmulator> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? "127.0.0.1";
  const apiVersion = opts.apiVersion ?? Stripe.API_VERSION;
  const businessName = opts.businessName ?? "Traverse";
  const store = new Store();
  const idempotency = new IdempotencyCache();
  const webhooks = new WebhookDispatcher({
    url: opts.webhookUrl,
    secret: opts.webhookSecret,
    apiVersion,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    timeoutMs: opts.webhookTimeoutMs ?? 10_000,
    log,
  });
  const emit: Emit = (type, object, request, previous) => {
    webhooks.emit(type, object, request, previous);
  };
  const timers = new Set<NodeJS.Timeout>();
  let failRefunds = 0;
  const outage = { count: 0, status: 500 };
  const latency = new Latency();
  const refunds: RefundDeps = {
    store,
    emit,
    takeFailure: () => {
      if (failRefunds <= 0) return false;
      failRefunds--;
      return true;
    },
    later: (fn) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, opts.refundFailDelayMs ?? 500);
      timers.add(timer);
    },
  };
  let publicUrl = "";

  async function handleV1(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    rawBody: string,
  ): Promise<void> {
    const method = req.method ?? "GET";
    const requestId = `req_${randomToken(14)}`;
    const headerValue = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const idempotencyKey = method === "POST" ? headerValue("idempotency-key") : undefined;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "cache-control": "no-cache, no-store",
      "request-id": requestId,
      "stripe-version": headerValue("stripe-version") ?? apiVersion,
    };
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    const fail = (error: ApiError, extra: Record<string, string> = {}): void => {
      const body: StripeErrorBody & { request_log_url: string } = {
        ...error.body,
        request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`,
      };
      send(res, error.status, json({ error: body }), { ...headers, ...extra });
      log(`${method} ${url.pathname} → ${error.status} ${error.body.type} ${requestId}`);
    };

    // An injected outage answers before anything runs, so nothing is stored or emitted.
    if (outage.count > 0) {
      outage.count--;
      fail(new ApiError(outage.status, { type: "api_error", message: "An unknown error occurred" }));
      return;
    }
    const apiKey = apiKeyFrom(req);
    if (!apiKey) {
      fail(
        new ApiError(401, {
          type: "invalid_request_error",
          message:
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        }),
        { "www-authenticate": 'Basic realm="Stripe"' },
      );
      return;
    }
    // Only test-mode keys: a live key pointed at the emulator is a configuration mistake.
    if (!/^(sk|rk)_test_\w+$/.test(apiKey)) {
      fail(
        new ApiError(401, {
          type: "invalid_request_error",
          code: "api_key_invalid",
          message: `Invalid API Key provided: ${redactKey(apiKey)}`,
        }),
        { "www-authenticate": 'Basic realm="Stripe"' },
      );
      return;
    }

    let params: Params;
    try {
      params = method === "POST" ? parseForm(rawBody) : parseForm(url.search.slice(1));
    } catch {
      fail(new ApiError(400, { type: "invalid_request_error", message: "Invalid request body." }));
      return;
    }
    const endpoint = `${method} ${url.pathname}`;
    // Slow or hung Stripe (control API): the request waits here with its idempotency key in progress.
    if (idempotencyKey && !idempotency.begin(apiKey, idempotencyKey)) {
      fail(IdempotencyCache.inProgress(idempotencyKey));
      return;
    }
    try {
      await latency.gate(method, url.pathname);
    } finally {
      if (idempotencyKey) idempotency.end(apiKey, idempotencyKey);
    }
    if (idempotencyKey) {
      const found = idempotency.lookup(apiKey, idempotencyKey, endpoint, params);
      if (found.kind === "conflict") {
        fail(found.error);
        return;
      }
      if (found.kind === "replay") {
        send(res, found.stored.status, found.stored.body, {
          ...headers,
          "idempotent-replayed": "true",
          "original-request": found.stored.requestId,
        });
        log(`${endpoint} → ${found.stored.status} replayed ${requestId}`);
        return;
      }
    }
    const request: RequestRef = { id: requestId, idempotency_key: idempotencyKey ?? null };
    const ctx: ApiContext = { store, webhooks, emit, refunds, publicUrl, request };
    try {
      const body = json(handleApi(ctx, method, url.pathname, params));
      // Stripe keeps results of requests that executed; validation failures are not kept.
      if (idempotencyKey)
        idempotency.save(apiKey, idempotencyKey, {
          endpoint,
          fingerprint: fingerprint(params),
          status: 200,
          body,
          requestId,
        });
      send(res, 200, body, headers);
      log(`${endpoint} → 200 ${requestId}`);
    } catch (error) {
      if (!isApiError(error)) throw error;
      fail(error);
    }
  }

  function handlePayPage(
    req: IncomingMessage,
    res: ServerResponse,
    sessionId: string,
    rawBody: string,
  ): void {
    const html = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };
    const record = store.sessions.get(sessionId);
    if (!record) {
      send(res, 404, renderNotFound(), html);
      return;
    }
    if (req.method !== "POST") {
      send(res, 200, renderPayPage(record, businessName), html);
      return;
    }
    const form = qs.parse(rawBody) as Record<string, unknown>;
    const text = (name: string): string => (typeof form[name] === "string" ? (form[name] as string) : "");
    const values = { email: text("email"), number: text("number"), expiry: text("expiry"), cvc: text("cvc") };
    let result: PayResult;
    try {
      result = attemptPayment(store, emit, sessionId, values);
    } catch (error) {
      if (!isApiError(error)) throw error;
      // Not open any more: the page explains why instead of showing the form.
      send(res, 200, renderPayPage(record, businessName), html);
      return;
    }
    if (result.ok) {
      const location = result.payment.redirectUrl;
      if (location) send(res, 303, "", { location });
      else send(res, 200, renderPayPage(record, businessName), html);
      return;
    }
    send(
      res,
      result.status,
      renderPayPage(record, businessName, {
        values,
        error: { field: result.field, message: result.error.message },
      }),
      html,
    );
  }

  const controls: EmulatorControls = {
    events: () => webhooks.views(),
    redeliver: (id, times) => webhooks.redeliver(id, times),
    deliver: (ids) => webhooks.deliverInOrder(ids),
    pauseWebhooks: () => webhooks.pause(),
    resumeWebhooks: () => webhooks.resume(),
    setWebhookUrl: (url) => webhooks.setUrl(url),
    pay: (sessionId, card = DEFAULT_CARD, email) => {
      const session = getSessionRecord(store, sessionId).session;
      return attemptPayment(store, emit, sessionId, {
        email: email ?? session.customer_email ?? "test@example.com",
        number: card,
        expiry: "12 / 34",
        cvc: card.replace(/\D/g, "").length === 15 ? "1234" : "123",
      });
    },
    expireSession: (sessionId): CheckoutSession => expireSession(store, sessionId, emit, NO_REQUEST),
    failNextRefunds: (count = 1) => {
      failRefunds = count;
    },
    failNext: (count, status = 500) => {
      outage.count = count;
      outage.status = status;
    },
    delay: (ms, scope) => latency.setDelay({ ms, method: scope?.method ?? null, path: scope?.path ?? null }),
    hang: (on, scope) =>
      latency.setHang(on ? { method: scope?.method ?? null, path: scope?.path ?? null, until: null } : null),
    latencyState: () => latency.state(),
    reset: () => {
      latency.reset();
      store.clear();
      idempotency.clear();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      failRefunds = 0;
      outage.count = 0;
      webhooks.reset(opts.webhookUrl);
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    // Always drain the body first so keep-alive connections stay usable whatever we answer.
    const rawBody = await readBody(req);
    if (url.pathname.startsWith("/v1/")) {
      await handleV1(req, res, url, rawBody);
      return;
    }
    const pay = /^\/pay\/([^/]+)$/.exec(url.pathname);
    if (pay && (req.method === "GET" || req.method === "POST")) {
      handlePayPage(req, res, decodeURIComponent(pay[1] ?? ""), rawBody);
      return;
    }
    if (url.pathname.startsWith("/_emulator/")) {
      const headers = { "content-type": "application/json", "cache-control": "no-store" };
      try {
        let body: unknown;
        try {
          body = rawBody.trim() === "" ? undefined : JSON.parse(rawBody);
        } catch {
          throw new ControlError(400, "Body must be JSON.");
        }
        const result = await handleControl(controls, req.method ?? "GET", url.pathname, body, latency);
        send(res, result.status, json(result.body), headers);
      } catch (error) {
        const status = error instanceof ControlError ? error.status : isApiError(error) ? error.status : 400;
        const body = isApiError(error)
          ? error.body
          : { type: "invalid_request_error", message: (error as Error).message };
        send(res, status, json({ error: body }), headers);
      }
      return;
    }
    if (url.pathname === "/" && req.method === "GET") {
      send(
        res,
        200,
        json({
          name: "stripe-emulator",
          api: "/v1",
          control: "/_emulator",
          webhook_url: webhooks.getUrl() ?? null,
        }),
        JSON_HEADERS,
      );
      return;
    }
    const notFound = { error: { type: "invalid_request_error", message: `Not found: ${url.pathname}` } };
    send(res, 404, json(notFound), JSON_HEADERS);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) {
        send(
          res,
          500,
          json({ error: { type: "api_error", message: "An unknown error occurred" } }),
          JSON_HEADERS,
        );
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  publicUrl = (opts.publicUrl ?? `http://localhost:${port}`).replace(/\/$/, "");
  const displayHost = host.includes(":") ? `[${host}]` : host;

  // Stripe expires open sessions by itself at expires_at; checking every second is close enough.
  const ticker = setInterval(() => expireDueSessions(store, emit), 1_000);
  ticker.unref();

  return {
    ...controls,
    url: `http://${displayHost}:${port}`,
    port,
    event: (id) => webhooks.views().find((view) => view.event.id === id),
    waitForWebhooks: () => webhooks.idle(),
    close: async () => {
      latency.reset();
      clearInterval(ticker);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      webhooks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type { EventView, StripeEvent };
