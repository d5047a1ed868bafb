import type { ConnectorOperation } from "./connector";
import type { OperatorErrorKind } from "./operator-error";

/**
 * Per-operator call statistics for the admin page: the last 15 minutes of calls in a fixed-size ring
 * (memory stays bounded however busy the operator is; when more calls than `capacity` happen inside the
 * window, the oldest are dropped and the summary says so). Metrics subscribe to every call through the
 * directory's `onCall` instead of reading this.
 */

export const callOutcomes = ["ok", "timeout", "error", "rate_limited", "refused", "circuit_open"] as const;
export type CallOutcome = (typeof callOutcomes)[number];

export interface CallRecord {
  /** When the call ended (epoch ms). */
  at: number;
  operation: ConnectorOperation;
  outcome: CallOutcome;
  durationMs: number;
}

export interface CallStatsSummary {
  windowMs: number;
  calls: number;
  outcomes: Record<CallOutcome, number>;
  /** Share of calls that got no usable answer (timeout, error, circuit open); null without calls. */
  errorRate: number | null;
  rateLimited: number;
  /** Latency of the calls that reached the operator (not those the breaker refused); null without any. */
  p50Ms: number | null;
  p95Ms: number | null;
  byOperation: Partial<Record<ConnectorOperation, { calls: number; failures: number }>>;
  /** More calls happened in the window than the ring holds: the figures cover the latest `capacity`. */
  truncated: boolean;
}

export function outcomeOf(kind: OperatorErrorKind): CallOutcome {
  switch (kind) {
    case "timeout":
    case "rate_limited":
    case "refused":
    case "circuit_open":
      return kind;
    default:
      return "error";
  }
}

const FAILED: ReadonlySet<CallOutcome> = new Set(["timeout", "error", "circuit_open"]);

export class CallStats {
  readonly windowMs: number;
  readonly capacity: number;
  private readonly now: () => number;
  private readonly ring: (CallRecord | undefined)[];
  private next = 0;
  private stored = 0;

  constructor(opts: { windowMs?: number; capacity?: number; now?: () => number } = {}) {
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.capacity = opts.capacity ?? 4096;
    this.now = opts.now ?? Date.now;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new RangeError("capacity must be ≥ 1");
    this.ring = new Array(this.capacity);
  }

  record(r: CallRecord): void {
    this.ring[this.next] = { at: r.at, operation: r.operation, outcome: r.outcome, durationMs: r.durationMs };
    this.next = (this.next + 1) % this.capacity;
    this.stored = Math.min(this.stored + 1, this.capacity);
  }

  /** How many records the ring holds (never more than `capacity`). */
  get size(): number {
    return this.stored;
  }

  summary(): CallStatsSummary {
    const since = this.now() - this.windowMs;
    const outcomes = Object.fromEntries(callOutcomes.map((o) => [o, 0])) as Record<CallOutcome, number>;
    const byOperation: CallStatsSummary["byOperation"] = {};
    const durations: number[] = [];
    let calls = 0;
    let oldestInWindow = true;
    for (let i = 0; i < this.stored; i++) {
      // Oldest first: when full, the oldest sits where the next write goes.
      const r = this.ring[(this.next - this.stored + i + this.capacity) % this.capacity]!;
      if (r.at <= since) {
        if (i === 0) oldestInWindow = false;
        continue;
      }
      calls++;
      outcomes[r.outcome]++;
      const op = byOperation[r.operation] ?? { calls: 0, failures: 0 };
      byOperation[r.operation] = op;
      op.calls++;
      if (FAILED.has(r.outcome)) op.failures++;
      if (r.outcome !== "circuit_open") durations.push(r.durationMs);
    }
    durations.sort((a, b) => a - b);
    const failed = outcomes.timeout + outcomes.error + outcomes.circuit_open;
    return {
      windowMs: this.windowMs,
      calls,
      outcomes,
      errorRate: calls ? failed / calls : null,
      rateLimited: outcomes.rate_limited,
      p50Ms: percentile(durations, 0.5),
      p95Ms: percentile(durations, 0.95),
      byOperation,
      truncated: this.stored === this.capacity && oldestInWindow,
    };
  }
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p of them at or below. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}
