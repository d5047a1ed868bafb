// Test-only control API under /_emulator/ (JSON, no auth). Every route is a thin wrapper over
// the same helpers `startStripeEmulator` returns, so in-process and out-of-process tests agree.
import { type Latency, type LatencyState, latencyControl, type Scope } from "../shared/latency";
import type { CheckoutSession } from "./objects";
import type { PayResult } from "./pay";
import type { EventView, DeliveryAttempt } from "./webhooks";

export interface EmulatorControls {
  events(): EventView[];
  redeliver(id: string, times?: number): Promise<DeliveryAttempt[]>;
  deliver(ids: string[]): Promise<DeliveryAttempt[]>;
  pauseWebhooks(): void;
  resumeWebhooks(): Promise<number>;
  setWebhookUrl(url: string | undefined): Promise<void>;
  pay(sessionId: string, card?: string, email?: string): PayResult;
  expireSession(sessionId: string): CheckoutSession;
  failNextRefunds(count?: number): void;
  failNext(count: number, status?: number): void;
  /** `/v1` requests (all, or those in `scope`) wait `ms` before they are handled; 0 ends it. */
  delay(ms: number, scope?: Partial<Scope>): void;
  /** `/v1` requests (all, or those in `scope`) get no answer until `hang(false)`; then they are handled. */
  hang(on: boolean, scope?: Partial<Scope>): void;
  latencyState(): LatencyState;
  reset(): void;
}

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ControlResponse {
  status: number;
  body: unknown;
}

function record(body: unknown): Record<string, unknown> {
  if (typeof body === "object" && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  throw new ControlError(400, "Expected a JSON object body.");
}

function count(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw new ControlError(400, `\`${name}\` must be an integer between 0 and 1000.`);
  }
  return value;
}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ControlError(400, `\`${name}\` must be a string.`);
  return value;
}

export async function handleControl(
  controls: EmulatorControls,
  method: string,
  path: string,
  rawBody: unknown,
  latency: Latency,
): Promise<ControlResponse> {
  const ok = (body: unknown): ControlResponse => ({ status: 200, body });
  const slow = latencyControl(latency, method, path, rawBody, Date.now());
  if (slow) {
    if (slow.status !== 200) throw new ControlError(slow.status, (slow.body as { error: string }).error);
    return slow;
  }
  const body = method === "POST" ? record(rawBody ?? {}) : {};
  // Captured id of a `/_emulator/…/:id/…` route, or undefined when `pattern` does not match.
  const idIn = (pattern: RegExp): string | undefined => {
    const found = pattern.exec(path);
    return found ? decodeURIComponent(found[1] ?? "") : undefined;
  };

  if (method === "GET" && path === "/_emulator/events") {
    return ok({ object: "list", data: controls.events() });
  }
  const eventId = idIn(/^\/_emulator\/events\/([^/]+)\/deliver$/);
  if (method === "POST" && eventId !== undefined) {
    const attempts = await controls.redeliver(eventId, count(body.times, 1, "times"));
    return ok({ attempts });
  }
  if (method === "POST" && path === "/_emulator/deliver") {
    const ids = body.ids;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) {
      throw new ControlError(400, "`ids` must be an array of event ids.");
    }
    return ok({ attempts: await controls.deliver(ids) });
  }
  if (method === "POST" && path === "/_emulator/webhooks/pause") {
    controls.pauseWebhooks();
    return ok({ paused: true });
  }
  if (method === "POST" && path === "/_emulator/webhooks/resume") {
    return ok({ paused: false, flushed: await controls.resumeWebhooks() });
  }
  if (method === "POST" && path === "/_emulator/webhook-url") {
    const url = optionalText(body.url, "url");
    if (url !== undefined) {
      try {
        new URL(url);
      } catch {
        throw new ControlError(400, "`url` must be an absolute URL.");
      }
    }
    await controls.setWebhookUrl(url);
    return ok({ url: url ?? null });
  }
  const paySessionId = idIn(/^\/_emulator\/checkout\/sessions\/([^/]+)\/pay$/);
  if (method === "POST" && paySessionId !== undefined) {
    const result = controls.pay(
      paySessionId,
      optionalText(body.card, "card"),
      optionalText(body.email, "email"),
    );
    if (!result.ok) return { status: result.status, body: { error: result.error } };
    const { session, paymentIntent, redirectUrl } = result.payment;
    return ok({ session, payment_intent: paymentIntent, redirect_url: redirectUrl });
  }
  const expireSessionId = idIn(/^\/_emulator\/checkout\/sessions\/([^/]+)\/expire$/);
  if (method === "POST" && expireSessionId !== undefined) {
    return ok({ session: controls.expireSession(expireSessionId) });
  }
  if (method === "POST" && path === "/_emulator/refunds/fail-next") {
    const n = count(body.count, 1, "count");
    controls.failNextRefunds(n);
    return ok({ fail_next_refunds: n });
  }
  if (method === "POST" && path === "/_emulator/fail-next") {
    const n = count(body.count, 1, "count");
    const status = count(body.status, 500, "status");
    if (status < 500 || status > 599) throw new ControlError(400, "`status` must be a 5xx code.");
    controls.failNext(n, status);
    return ok({ fail_next: n, status });
  }
  if (method === "POST" && path === "/_emulator/reset") {
    controls.reset();
    return ok({ reset: true });
  }
  throw new ControlError(404, `Unknown control route ${method} ${path}.`);
}
