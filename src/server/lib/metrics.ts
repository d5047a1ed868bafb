import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus metrics: one registry, every metric declared here so the names are in one
 * place (ops/grafana/traverse.json and ops/prometheus/alerts.yml are checked against this registry by
 * tests/observability/ops-files.test.ts). Label values are bounded sets only: procedure names, task
 * names, operator codes, outcomes — never a reference, an address or free text.
 *
 * Kept on globalThis so a Next dev reload or a test that imports this module twice still registers
 * each metric once (prom-client throws on a duplicate name in one registry).
 */
function build() {
  const registry = new Registry();
  const seconds = (buckets: number[]) => ({ registers: [registry], buckets });
  const fast = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  // The promises the site makes are in seconds (src/shared/promised-delays.ts).
  const slow = [0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 900];
  return {
    registry,
    httpDuration: new Histogram({
      name: "traverse_http_request_duration_seconds",
      help: "Time to answer a tRPC procedure or an HTTP route, by procedure (or route) and outcome.",
      labelNames: ["procedure", "outcome"] as const,
      ...seconds(fast),
    }),
    cacheRequests: new Counter({
      name: "traverse_cache_requests_total",
      help: "Display cache reads by cache (schedule, availability, calendar) and result.",
      labelNames: ["cache", "result"] as const,
      registers: [registry],
    }),
    cacheBreakerOpen: new Gauge({
      name: "traverse_cache_breaker_open",
      help: "1 while the display cache's circuit breaker is open (Redis skipped), else 0.",
      registers: [registry],
    }),
    jobsPending: new Gauge({
      name: "traverse_jobs_pending",
      help: "Jobs waiting in the queue (due now or later, not locked), by task.",
      labelNames: ["task"] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "traverse_job_duration_seconds",
      help: "Time a worker spent on one job, by task and outcome.",
      labelNames: ["task", "outcome"] as const,
      ...seconds(fast.concat([30, 60])),
    }),
    paymentConfirmation: new Histogram({
      name: "traverse_payment_confirmation_seconds",
      help: "From the Stripe event received to the booking CONFIRMED.",
      ...seconds(slow),
    }),
    emailDelivery: new Histogram({
      name: "traverse_email_delivery_seconds",
      help: "From the outbox row created to Resend accepting the email, by kind.",
      labelNames: ["kind"] as const,
      ...seconds(slow),
    }),
    operatorDuration: new Histogram({
      name: "traverse_operator_request_duration_seconds",
      help: "Calls to connected operators' reservation systems, by operator, operation and outcome.",
      labelNames: ["operator", "operation", "outcome"] as const,
      ...seconds(fast),
    }),
    holdsActive: new Gauge({
      name: "traverse_holds_active",
      help: "Bookings holding places while they wait for payment.",
      registers: [registry],
    }),
    bookings: new Counter({
      name: "traverse_bookings_total",
      help: "Bookings entering a status (PENDING_PAYMENT when created, then CONFIRMED, EXPIRED, CANCELLED).",
      labelNames: ["status"] as const,
      registers: [registry],
    }),
    workerHeartbeat: new Gauge({
      name: "traverse_worker_heartbeat_timestamp_seconds",
      help: "When this worker last recorded its heartbeat (Unix seconds); absent on the app.",
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof build>;

const g = globalThis as unknown as { __traverseMetrics?: Metrics };

/** The process's metrics (created on first use). */
export function metrics(): Metrics {
  g.__traverseMetrics ??= build();
  return g.__traverseMetrics;
}

/** Seconds between two instants, never negative (clocks of two machines may disagree slightly). */
export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, (to.getTime() - from.getTime()) / 1000);
}

/** Runs `fn` and observes its duration under `labels` plus an outcome of "ok" or "error". */
export async function timed<T, L extends string>(
  histogram: Histogram<L | "outcome">,
  labels: Record<L, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const end = histogram.startTimer(labels as Partial<Record<L | "outcome", string>>);
  try {
    const result = await fn();
    end({ outcome: "ok" } as Partial<Record<L | "outcome", string>>);
    return result;
  } catch (e) {
    end({ outcome: "error" } as Partial<Record<L | "outcome", string>>);
    throw e;
  }
}

/**
 * The operator directory's `onCall` (src/server/services.ts): every call to a connected operator,
 * including those its breaker refused (outcome circuit_open, duration 0).
 */
export function observeOperatorCall(e: {
  operatorCode: string;
  operation: string;
  outcome: string;
  durationMs: number;
}): void {
  metrics().operatorDuration.observe(
    { operator: e.operatorCode, operation: e.operation, outcome: e.outcome },
    e.durationMs / 1000,
  );
}
