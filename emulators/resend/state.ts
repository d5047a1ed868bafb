// Everything the emulator remembers, in memory: captured emails, the request log and injected faults.
import type { EmailInput } from "./validation";

export type LastEvent = "delivered" | "scheduled";

export interface CapturedEmail extends EmailInput {
  id: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  lastEvent: LastEvent;
  /** The Idempotency-Key of the request that created it, so tests can tie an email to an outbox row. */
  idempotencyKey: string | null;
  /** True when it arrived through POST /emails/batch. */
  batch: boolean;
}

export interface RequestLogEntry {
  /** Epoch milliseconds when the request arrived. */
  time: number;
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
}

export type InjectedStatus = 500 | 429 | 503;

export interface FailNextOptions {
  count: number;
  status: InjectedStatus;
  /** Seconds for the retry-after header of a 429 (default 1). */
  retryAfter?: number;
}

export interface InjectedFailure {
  status: InjectedStatus;
  retryAfter: number;
}

export class EmulatorState {
  /** Oldest first; readers reverse it. */
  private readonly captured: CapturedEmail[] = [];
  private readonly log: RequestLogEntry[] = [];
  private readonly pendingFailures: InjectedFailure[] = [];
  private downUntil = 0;

  addEmail(email: CapturedEmail): void {
    this.captured.push(email);
  }

  /** Newest first, like GET /emails. */
  emails(): CapturedEmail[] {
    return [...this.captured].reverse();
  }

  findEmail(id: string): CapturedEmail | undefined {
    return this.captured.find((email) => email.id === id);
  }

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
  }

  /** In arrival order, so a test can slide a 1-second window over it. */
  requests(): RequestLogEntry[] {
    return [...this.log];
  }

  failNext(options: FailNextOptions): void {
    for (let i = 0; i < options.count; i++) {
      this.pendingFailures.push({ status: options.status, retryAfter: options.retryAfter ?? 1 });
    }
  }

  down(seconds: number, now: number): void {
    this.downUntil = seconds > 0 ? now + seconds * 1000 : 0;
  }

  /** The fault this request must answer with, if any (consumes one fail-next slot). */
  takeFailure(now: number): InjectedFailure | undefined {
    const queued = this.pendingFailures.shift();
    if (queued) return queued;
    if (now < this.downUntil) return { status: 500, retryAfter: 1 };
    return undefined;
  }

  reset(): void {
    this.captured.length = 0;
    this.log.length = 0;
    this.pendingFailures.length = 0;
    this.downUntil = 0;
  }
}
