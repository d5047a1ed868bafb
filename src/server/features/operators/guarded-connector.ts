import type { CircuitBreaker } from "@/server/lib/circuit-breaker";
import { inSpan, SpanKind } from "@/server/lib/tracing";
import { type CallOutcome, type CallStats, outcomeOf } from "./call-stats";
import type { ConnectorOperation, OperatorConnector } from "./connector";
import { isOperatorError, OperatorError } from "./operator-error";

/**
 * Puts a connector behind its operator's circuit breaker and records every call. While the breaker is
 * open nothing is sent and the caller gets `circuit_open` at once. Only timeouts and unavailability
 * count as failures: a refusal (SOLD_OUT…) proves the operator is up, and a rate limit or a malformed
 * answer says nothing either way.
 */

export interface OperatorCallEvent {
  operatorCode: string;
  operation: ConnectorOperation;
  outcome: CallOutcome;
  durationMs: number;
  /** When the call ended (epoch ms). */
  at: number;
  /** The operator's refusal code, when it refused. */
  errorCode?: string;
}

export interface GuardOptions {
  breaker: CircuitBreaker;
  stats: CallStats;
  /** Wall clock (epoch ms) for the records. */
  now: () => number;
  /** Monotonic clock for durations (default `performance.now`). */
  monotonic?: () => number;
  /** Called after every call, e.g. by a metrics module. Its errors are swallowed: metrics never fail a booking. */
  onCall?: (event: OperatorCallEvent) => void;
}

export function guardConnector(inner: OperatorConnector, opts: GuardOptions): OperatorConnector {
  const monotonic = opts.monotonic ?? (() => performance.now());
  const code = inner.code;

  function report(
    operation: ConnectorOperation,
    outcome: CallOutcome,
    durationMs: number,
    errorCode?: string,
  ) {
    const event: OperatorCallEvent = { operatorCode: code, operation, outcome, durationMs, at: opts.now() };
    if (errorCode !== undefined) event.errorCode = errorCode;
    opts.stats.record(event);
    try {
      opts.onCall?.(event);
    } catch {
      // A subscriber's bug must not turn a successful call into a failed one.
    }
  }

  async function run<T>(operation: ConnectorOperation, call: () => Promise<T>): Promise<T> {
    const permit = opts.breaker.tryAcquire();
    if (!permit) {
      report(operation, "circuit_open", 0);
      throw new OperatorError("circuit_open", code, operation, "not sent: the operator has been failing");
    }
    const started = monotonic();
    try {
      const result = await inSpan(
        `operator.${operation}`,
        { kind: SpanKind.CLIENT, attributes: { "operator.code": code } },
        call,
      );
      permit.success();
      report(operation, "ok", Math.round(monotonic() - started));
      return result;
    } catch (e) {
      const duration = Math.round(monotonic() - started);
      if (!isOperatorError(e)) {
        permit.release();
        report(operation, "error", duration);
        throw e;
      }
      if (e.kind === "timeout" || e.kind === "unavailable") permit.failure();
      else if (e.kind === "refused") permit.success();
      else permit.release();
      report(operation, outcomeOf(e.kind), duration, e.kind === "refused" ? e.code : undefined);
      throw e;
    }
  }

  return {
    code,
    routes: () => run("routes", () => inner.routes()),
    sailings: (route, day, party) => run("sailings", () => inner.sailings(route, day, party)),
    price: (selection) => run("price", () => inner.price(selection)),
    hold: (booking) => run("hold", () => inner.hold(booking)),
    confirm: (ref) => run("confirm", () => inner.confirm(ref)),
    recall: (ref) => run("recall", () => inner.recall(ref)),
    cancelCharge: (ref) => run("cancelCharge", () => inner.cancelCharge(ref)),
    cancel: (ref, expectedCharge) => run("cancel", () => inner.cancel(ref, expectedCharge)),
    changes: (since, limit) => run("changes", () => inner.changes(since, limit)),
  };
}
