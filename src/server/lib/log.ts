import { env } from "@/env";
import { describeError } from "./describe-error";

/**
 * Minimal structured logging: one line per event, `key=value` fields. Callers pass ids and codes only —
 * never names, emails, passport data or secrets (the security rules of the project). An Error passed as
 * a field is written through `describeError`, so its message, query and parameters never reach the log.
 */
const order = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof order;

function emit(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (order[level] < order[env.LOG_LEVEL]) return;
  const parts = fields
    ? Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${format(v)}`)
    : [];
  const line = `${level.toUpperCase().padEnd(5)} ${msg}${parts.length ? ` ${parts.join(" ")}` : ""}`;
  (level === "error" || level === "warn" ? console.error : console.log)(line);
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
