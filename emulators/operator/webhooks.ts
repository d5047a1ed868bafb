// Push notifications: every change in the feed is also POSTed to the configured URL, signed (see
// signature.ts), each change on its own retry schedule (exponential backoff, capped) until a 2xx.
// Pushes may arrive late, twice or out of order; the feed stays the source of truth.
import type { Change, OperatorCode } from "./types";
import { OPERATOR_SIGNATURE_HEADER, signOperatorPayload } from "./signature";

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 1_000, maxMs: 60_000, maxAttempts: 10 };

export interface PushAttempt {
  at: string;
  status: number | null;
  error: string | null;
}

export interface PushView {
  changeId: string;
  type: Change["type"];
  status: "sending" | "retrying" | "delivered" | "failed";
  attempts: PushAttempt[];
  nextAttemptAt: string | null;
}

interface PushRecord extends PushView {
  change: Change;
  timer: NodeJS.Timeout | null;
}

export class WebhookPusher {
  private target: WebhookTarget | null;
  private records: PushRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private generation = 0;
  private abort = new AbortController();

  constructor(
    private readonly operator: OperatorCode,
    target: WebhookTarget | null,
    private readonly retry: RetryPolicy,
    private readonly timeoutMs: number,
    private readonly log: (line: string) => void,
  ) {
    this.target = target;
  }

  setTarget(target: WebhookTarget | null): void {
    this.target = target;
  }

  getUrl(): string | null {
    return this.target?.url ?? null;
  }

  push(change: Change): void {
    if (!this.target) return;
    const record: PushRecord = {
      changeId: change.id,
      type: change.type,
      status: "sending",
      attempts: [],
      nextAttemptAt: null,
      change,
      timer: null,
    };
    this.records.push(record);
    this.track(this.attempt(record));
  }

  views(): PushView[] {
    return this.records.map(({ change: _c, timer: _t, ...view }) => ({
      ...view,
      attempts: [...view.attempts],
    }));
  }

  /** Resolves when no delivery is in flight (retries scheduled later do not count). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops every retry and forgets deliveries; in-flight requests are aborted. */
  reset(target: WebhookTarget | null): void {
    this.generation++;
    this.abort.abort();
    this.abort = new AbortController();
    for (const record of this.records) if (record.timer) clearTimeout(record.timer);
    this.records = [];
    this.target = target;
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async attempt(record: PushRecord): Promise<void> {
    const generation = this.generation;
    const target = this.target;
    const attempt: PushAttempt = { at: new Date().toISOString(), status: null, error: null };
    if (!target) {
      attempt.error = "no webhook configured";
    } else {
      const payload = JSON.stringify(record.change);
      try {
        const response = await fetch(target.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": `ferrygateway-emulator/1 (${this.operator})`,
            "x-operator-code": this.operator,
            "x-operator-change-id": record.change.id,
            // Signed at send time, so a retry carries a fresh timestamp.
            [OPERATOR_SIGNATURE_HEADER]: signOperatorPayload(payload, target.secret),
          },
          body: payload,
          signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.abort.signal]),
        });
        attempt.status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        attempt.error = error instanceof Error && error.name === "TimeoutError" ? "timed out" : String(error);
      }
    }
    if (generation !== this.generation) return;
    record.attempts.push(attempt);
    this.log(`push ${record.changeId} ${record.type} → ${attempt.status ?? attempt.error}`);
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      record.status = "delivered";
      return;
    }
    if (record.attempts.length >= this.retry.maxAttempts) {
      record.status = "failed";
      return;
    }
    const delay = Math.min(this.retry.initialMs * 2 ** (record.attempts.length - 1), this.retry.maxMs);
    record.status = "retrying";
    record.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    record.timer = setTimeout(() => {
      record.timer = null;
      if (generation !== this.generation) return;
      record.status = "sending";
      record.nextAttemptAt = null;
      this.track(this.attempt(record));
    }, delay);
    record.timer.unref();
  }
}
