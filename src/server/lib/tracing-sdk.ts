import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { markTracingEnabled } from "./tracing";

/**
 * Registers the OpenTelemetry SDK for this process: spans become real, carry ids, and go to an exporter.
 * Called from src/instrumentation.ts (the app) and worker/index.ts only when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set, and by tests with an in-memory exporter. Without it, src/server/lib/tracing.ts costs nothing.
 */
export function registerTracing(opts: {
  serviceName: string;
  /** OTLP/HTTP base, e.g. http://collector:4318; spans go to `<endpoint>/v1/traces`. */
  otlpEndpoint?: string;
  /** Tests: spans exported synchronously as each ends. */
  exporter?: SpanExporter;
}): { shutdown(): Promise<void>; forceFlush(): Promise<void> } {
  const processors: SpanProcessor[] = [];
  if (opts.exporter) processors.push(new SimpleSpanProcessor({ exporter: opts.exporter }));
  if (opts.otlpEndpoint) {
    const url = `${opts.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
    processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) }));
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": opts.serviceName }),
    spanProcessors: processors,
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  markTracingEnabled(true);
  return {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      markTracingEnabled(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
