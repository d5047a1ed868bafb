import { AsyncLocalStorage } from "node:async_hooks";
import { env, isProduction } from "@/env";
import { describeError } from "./describe-error";
import { currentTraceId } from "./tracing";

/**
 * Minimal structured logging: one line per event. Callers pass ids and codes only — never names,
 * emails, passport data or secrets (the security rules of the project). An Error passed as a field is
 * written through `describeError`, so its message, query and parameters never reach the log.
 *
 * Production writes one JSON object per line (what log collectors parse); development and tests write
 * `LEVEL message key=value …`, which people read. Every line carries the context of the request or job
 * it belongs to (`withLogContext`: requestId, jobId, task) and the active trace id when tracing is on.
 */
const order = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof order;

/** Ids only: the request id, the job id and task, never anything a traveller typed. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  task?: string;
}

const scope = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` added to every log line written inside it (nested contexts merge). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  const next: LogContext = { ...scope.getStore() };
  // An inner context that does not know a field (undefined) keeps the outer one's.
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) next[k as keyof LogContext] = v;
  return scope.run(next, fn);
}

/** The context of the current request or job (for response headers and tests). */
export function logContext(): LogContext {
  return scope.getStore() ?? {};
}

function contextFields(): Record<string, unknown> {
  const traceId = currentTraceId();
  const store = scope.getStore();
  if (!store && !traceId) return {};
  return { ...store, traceId };
}

function emit(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (order[level] < order[env.LOG_LEVEL]) return;
  const line = formatLine(level, msg, { ...contextFields(), ...fields }, isProduction ? "json" : "text");
  (level === "error" || level === "warn" ? console.error : console.log)(line);
}

/** One log line, as JSON (production) or as text (development, tests). Exported for tests. */
export function formatLine(
  level: Level,
  msg: string,
  fields: Record<string, unknown>,
  as: "json" | "text",
  time: Date = new Date(),
): string {
  if (as === "json") {
    return JSON.stringify({ time: time.toISOString(), level, msg, ...fields }, (_k, x) =>
      x instanceof Error ? describeError(x) : x,
    );
  }
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${format(v)}`);
  return `${level.toUpperCase().padEnd(5)} ${msg}${parts.length ? ` ${parts.join(" ")}` : ""}`;
}

function format(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Error) return describeError(v);
  // Errors nested in objects too: postgres.js copies the query and its parameters onto its errors as
  // enumerable properties, which JSON.stringify would print.
  return JSON.stringify(v, (_k, x) => (x instanceof Error ? describeError(x) : x)) ?? String(v);
}

/**
 * What features log through (`svc.log`). One line per event with `key=value` fields; a child logger that
 * carries a request's context can implement the same four methods.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const log: Logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => emit("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => emit("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => emit("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => emit("error", msg, fields),
};
