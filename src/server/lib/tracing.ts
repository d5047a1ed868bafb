import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from "@opentelemetry/api";

/**
 * Spans through the OpenTelemetry API only. Until an SDK is registered (src/server/lib/tracing-sdk.ts,
 * from src/instrumentation.ts and worker/index.ts when OTEL_EXPORTER_OTLP_ENDPOINT is set) every call
 * here goes to the API's no-op tracer: no ids are generated, nothing is recorded or kept.
 *
 * A trace crosses the job queue and Stripe as a W3C `traceparent` string: in job payloads (`enqueue`)
 * and in the Checkout session's metadata, so the webhook of a payment continues the booking's trace.
 * It holds two random ids and a flag: nothing about the traveller.
 */
const tracer = () => trace.getTracer("traverse");

const g = globalThis as unknown as { __traverseTracing?: boolean };

/** True once an SDK is registered (tracing-sdk.ts): lets callers skip work only a trace needs. */
export function tracingEnabled(): boolean {
  return g.__traverseTracing === true;
}

export function markTracingEnabled(on: boolean): void {
  g.__traverseTracing = on;
}

/** What `inSpan` hands its function when nothing is traced: records nothing, has no ids. */
const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The active span's context as a W3C traceparent, or undefined when nothing is being traced. */
export function currentTraceparent(): string | undefined {
  if (!tracingEnabled()) return undefined;
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}

/** The active trace id for log lines, or undefined. */
export function currentTraceId(): string | undefined {
  if (!tracingEnabled()) return undefined;
  const sc = trace.getActiveSpan()?.spanContext();
  return sc && isSpanContextValid(sc) ? sc.traceId : undefined;
}

/** A context whose parent is the remote span a traceparent names; the root context when it names none. */
export function contextFromTraceparent(traceparent: unknown): Context {
  if (typeof traceparent !== "string") return ROOT_CONTEXT;
  const m = TRACEPARENT.exec(traceparent.trim().toLowerCase());
  if (!m) return ROOT_CONTEXT;
  const sc = {
    traceId: m[1]!,
    spanId: m[2]!,
    traceFlags: Number.parseInt(m[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(sc) ? trace.setSpanContext(ROOT_CONTEXT, sc) : ROOT_CONTEXT;
}

export interface SpanOptions {
  attributes?: Attributes;
  kind?: SpanKind;
  /** The parent; by default the active context. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new active span that ends when `fn` settles; a throw marks the span as an error
 * (the exception's type only: messages can quote personal data, see src/server/lib/describe-error.ts).
 */
export function inSpan<T>(name: string, opts: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  // No SDK: not even the API's no-op tracer (a proxy lookup, a span object, a closure per call).
  if (!tracingEnabled()) return fn(NO_SPAN);
  const parent = opts.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (e) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.name : "error" });
        throw e;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind, SpanStatusCode };
