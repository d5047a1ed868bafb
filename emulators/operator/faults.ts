// Injected slowness and failure, all in real time: latency per call (seeded, so a run repeats),
// a hang window during which requests get no answer, an outage window of 503s, and queued
// per-operation failures that strike before or after the operation takes effect.
import { seededRandom } from "./rng";
import type { Operation } from "./types";

export interface Latency {
  minMs: number;
  maxMs: number;
}

export type InjectedStatus = 429 | 500 | 502 | 503 | 504 | "drop";

export interface FailNext {
  /** An operation name, or "*" for any. */
  operation: Operation | "*";
  count: number;
  status: InjectedStatus;
  /** before: the call fails and changes nothing. after: it takes effect, then the answer fails. */
  phase: "before" | "after";
}

interface Hang {
  until: number;
  operation: Operation | "*";
  release: () => void;
  released: Promise<void>;
  timer: NodeJS.Timeout;
}

export class Faults {
  private random: () => number;
  private latency: Latency | null;
  private downUntil = 0;
  private hang: Hang | null = null;
  private readonly failures: FailNext[] = [];

  constructor(
    private readonly seed: number,
    private readonly initialLatency: Latency | null,
  ) {
    this.random = seededRandom(seed);
    this.latency = initialLatency;
  }

  setLatency(latency: Latency | null): void {
    this.latency = latency;
  }

  getLatency(): Latency | null {
    return this.latency;
  }

  /** The delay for the next call: uniform in [minMs, maxMs], drawn from the seeded generator. */
  drawLatency(): number {
    if (!this.latency) return 0;
    const { minMs, maxMs } = this.latency;
    return minMs + Math.floor(this.random() * (maxMs - minMs + 1));
  }

  down(seconds: number): number | null {
    this.downUntil = seconds > 0 ? Date.now() + seconds * 1000 : 0;
    return this.downUntil || null;
  }

  /** Seconds of outage left (rounded up), or 0. */
  downFor(): number {
    const left = this.downUntil - Date.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Requests for `operation` (or any) arriving in the next `seconds` get no answer until it ends. */
  startHang(seconds: number, operation: Operation | "*"): number | null {
    this.endHang();
    if (seconds <= 0) return null;
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const until = Date.now() + seconds * 1000;
    const timer = setTimeout(() => this.endHang(), seconds * 1000);
    timer.unref();
    this.hang = { until, operation, release, released, timer };
    return until;
  }

  endHang(): void {
    if (!this.hang) return;
    clearTimeout(this.hang.timer);
    this.hang.release();
    this.hang = null;
  }

  /** Resolves when a hang covering this operation ends (at once when none does). */
  async waitOutHang(operation: Operation): Promise<void> {
    const hang = this.hang;
    if (hang && (hang.operation === "*" || hang.operation === operation)) await hang.released;
  }

  failNext(failure: FailNext): void {
    this.failures.push({ ...failure });
  }

  /** Consumes one queued failure for this operation and phase, if any. */
  take(operation: Operation, phase: FailNext["phase"]): InjectedStatus | null {
    const index = this.failures.findIndex(
      (f) => f.phase === phase && (f.operation === "*" || f.operation === operation),
    );
    if (index < 0) return null;
    const failure = this.failures[index]!;
    failure.count--;
    if (failure.count <= 0) this.failures.splice(index, 1);
    return failure.status;
  }

  pending(): FailNext[] {
    return this.failures.map((f) => ({ ...f }));
  }

  snapshot() {
    return {
      latency: this.latency,
      downUntil: this.downUntil > Date.now() ? new Date(this.downUntil).toISOString() : null,
      hangUntil: this.hang ? new Date(this.hang.until).toISOString() : null,
      failNext: this.pending(),
    };
  }

  reset(): void {
    this.endHang();
    this.random = seededRandom(this.seed);
    this.latency = this.initialLatency;
    this.downUntil = 0;
    this.failures.length = 0;
  }
}
