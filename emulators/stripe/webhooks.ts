// Event store and webhook delivery. Every event is delivered on its own schedule (a failing
// event never holds up the next one), signed at send time like Stripe does, and retried with
// exponential backoff until the endpoint answers 2xx or the attempts run out.
import { createHmac } from "node:crypto";
import { resourceMissing } from "./errors";
import { newId, nowSeconds } from "./ids";
import type { RequestRef, StripeEvent } from "./objects";

export interface RetryOptions {
  initialMs: number;
  maxMs: number;
  maxAttempts: number;
}

export interface DeliveryAttempt {
  at: string;
  trigger: "automatic" | "manual";
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** queued: waiting for resume or a URL; retrying: a timer is set; failed: automatic attempts exhausted. */
export type DeliveryStatus = "queued" | "sending" | "retrying" | "delivered" | "failed";

export interface DeliveryView {
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  last_status: number | null;
  next_attempt_at: string | null;
}

export interface EventView {
  event: StripeEvent;
  delivery: DeliveryView;
}

interface EventRecord {
  event: StripeEvent;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  automaticAttempts: number;
  nextAttemptAt: number | null;
  timer: NodeJS.Timeout | null;
}

export interface DispatcherOptions {
  url: string | undefined;
  secret: string;
  apiVersion: string;
  retry: RetryOptions;
  timeoutMs: number;
  log: (line: string) => void;
}

export function signPayload(payload: string, secret: string, timestamp = nowSeconds()): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export class WebhookDispatcher {
  private readonly records = new Map<string, EventRecord>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private url: string | undefined;
  private paused = false;
  // Bumped by reset/close so a delivery that was in flight cannot write into the fresh state.
  private generation = 0;
  // Aborted by reset/close so in-flight requests from the old state stop reaching the endpoint.
  private abort = new AbortController();

  constructor(private readonly opts: DispatcherOptions) {
    this.url = opts.url;
  }

  emit(type: string, object: unknown, request: RequestRef, previous?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: newId("evt"),
      object: "event",
      api_version: this.opts.apiVersion,
      created: nowSeconds(),
      // Snapshot: later changes to the object must not rewrite history.
      data: previous
        ? { object: structuredClone(object), previous_attributes: structuredClone(previous) }
        : { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { ...request },
      type,
    };
    const record: EventRecord = {
      event,
      status: "queued",
      attempts: [],
      automaticAttempts: 0,
      nextAttemptAt: null,
      timer: null,
    };
    this.records.set(event.id, record);
    this.opts.log(`event ${event.id} ${type}`);
    if (this.canSend()) this.track(this.automaticAttempt(record));
    return event;
  }

  /** The event as the API shows it: pending_webhooks drops to 0 once delivered. */
  apiEvent(id: string): StripeEvent | undefined {
    const record = this.records.get(id);
    if (!record) return undefined;
    return { ...record.event, pending_webhooks: record.status === "delivered" ? 0 : 1 };
  }

  apiEvents(): StripeEvent[] {
    return [...this.records.keys()].reverse().map((id) => this.apiEvent(id) as StripeEvent);
  }

  views(): EventView[] {
    return [...this.records.values()].map((record) => this.view(record));
  }

  view(record: EventRecord): EventView {
    const last = record.attempts.at(-1);
    return {
      event: this.apiEvent(record.event.id) as StripeEvent,
      delivery: {
        status: record.status,
        attempts: [...record.attempts],
        last_status: last?.status ?? null,
        next_attempt_at: record.nextAttemptAt ? new Date(record.nextAttemptAt).toISOString() : null,
      },
    };
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** Sends the event `times` more times now, one after the other (duplicates on purpose). */
  async redeliver(id: string, times = 1): Promise<DeliveryAttempt[]> {
    const record = this.require(id);
    const attempts: DeliveryAttempt[] = [];
    for (let i = 0; i < times; i++) attempts.push(await this.manualAttempt(record));
    return attempts;
  }

  /** Sends each event once, strictly in the given order, each after the previous one answered. */
  async deliverInOrder(ids: string[]): Promise<DeliveryAttempt[]> {
    const records = ids.map((id) => this.require(id));
    const attempts: DeliveryAttempt[] = [];
    for (const record of records) attempts.push(await this.manualAttempt(record));
    return attempts;
  }

  pause(): void {
    this.paused = true;
  }

  /** Unpauses and sends everything that queued up, oldest first. Resolves after each got one attempt. */
  async resume(): Promise<number> {
    this.paused = false;
    return this.flush();
  }

  async setUrl(url: string | undefined): Promise<void> {
    this.url = url;
    await this.flush();
  }

  getUrl(): string | undefined {
    return this.url;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Resolves once no delivery is in flight (retries scheduled for later do not count). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  reset(url: string | undefined): void {
    this.stop();
    this.records.clear();
    this.url = url;
    this.paused = false;
  }

  stop(): void {
    this.generation++;
    this.abort.abort();
    this.abort = new AbortController();
    for (const record of this.records.values()) {
      if (record.timer) clearTimeout(record.timer);
      record.timer = null;
    }
  }

  private require(id: string): EventRecord {
    const record = this.records.get(id);
    if (!record) throw resourceMissing("event", id, "id");
    return record;
  }

  private canSend(): boolean {
    return !this.paused && this.url !== undefined;
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async flush(): Promise<number> {
    if (!this.canSend()) return 0;
    const queued = [...this.records.values()].filter((record) => record.status === "queued");
    // One at a time so the endpoint sees them in creation order; retries then run independently.
    for (const record of queued) {
      if (record.status !== "queued") continue;
      const attempt = this.automaticAttempt(record);
      this.track(attempt);
      await attempt;
    }
    return queued.length;
  }

  private async automaticAttempt(record: EventRecord): Promise<void> {
    const generation = this.generation;
    record.status = "sending";
    record.nextAttemptAt = null;
    record.automaticAttempts++;
    const attempt = await this.send(record, "automatic");
    if (generation !== this.generation) return;
    // A manual delivery may have succeeded while this one was in flight.
    if ((record.status as DeliveryStatus) === "delivered") return;
    if (isSuccess(attempt)) {
      record.status = "delivered";
      return;
    }
    const { initialMs, maxMs, maxAttempts } = this.opts.retry;
    if (record.automaticAttempts >= maxAttempts) {
      record.status = "failed";
      this.opts.log(`webhook ${record.event.id} gave up after ${record.automaticAttempts} attempts`);
      return;
    }
    const delay = Math.min(initialMs * 2 ** (record.automaticAttempts - 1), maxMs);
    record.status = "retrying";
    record.nextAttemptAt = Date.now() + delay;
    this.opts.log(`webhook ${record.event.id} retry in ${delay}ms`);
    record.timer = setTimeout(() => {
      record.timer = null;
      if (generation !== this.generation || record.status !== "retrying") return;
      record.nextAttemptAt = null;
      if (!this.canSend()) {
        record.status = "queued";
        return;
      }
      this.track(this.automaticAttempt(record));
    }, delay);
    record.timer.unref();
  }

  private async manualAttempt(record: EventRecord): Promise<DeliveryAttempt> {
    const attempt = await this.send(record, "manual");
    // Like a successful "Resend" in the dashboard: the event counts as delivered, retries stop.
    if (isSuccess(attempt) && record.status !== "delivered") {
      if (record.timer) clearTimeout(record.timer);
      record.timer = null;
      record.nextAttemptAt = null;
      record.status = "delivered";
    }
    return attempt;
  }

  private async send(record: EventRecord, trigger: DeliveryAttempt["trigger"]): Promise<DeliveryAttempt> {
    const url = this.url;
    const started = Date.now();
    const attempt: DeliveryAttempt = {
      at: new Date(started).toISOString(),
      trigger,
      status: null,
      error: null,
      durationMs: 0,
    };
    if (url === undefined) {
      attempt.error = "no webhook URL configured";
    } else {
      // Stripe sends pretty-printed JSON; the signature covers these exact bytes.
      const payload = JSON.stringify(record.event, null, 2);
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Stripe-Signature": signPayload(payload, this.opts.secret),
          },
          body: payload,
          signal: AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), this.abort.signal]),
        });
        attempt.status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        attempt.error = describeError(error);
      }
    }
    attempt.durationMs = Date.now() - started;
    record.attempts.push(attempt);
    this.opts.log(
      `webhook ${record.event.id} ${record.event.type} (${trigger}) → ${attempt.status ?? attempt.error}`,
    );
    return attempt;
  }
}

function isSuccess(attempt: DeliveryAttempt): boolean {
  return attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${error.message} (${cause.code})`;
    return error.name === "TimeoutError" ? "timed out" : error.message;
  }
  return String(error);
}
