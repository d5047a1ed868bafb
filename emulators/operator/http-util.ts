import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody as readBounded, writeJson } from "../shared/http";
import { OperatorError } from "./errors";

/** Ample for nine passengers; anything bigger is a client bug. */
export const MAX_BODY_BYTES = 64 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return readBounded(
    req,
    limit,
    () => new OperatorError(413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${limit} bytes.`),
  );
}

/** Parses a JSON object body; an empty body counts as `{}`. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OperatorError(400, "VALIDATION_ERROR", "The request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OperatorError(400, "VALIDATION_ERROR", "The request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  writeJson(res, status, body, { ...headers, "cache-control": "no-store" });
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
