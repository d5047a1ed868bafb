import type { IncomingMessage } from "node:http";
import qs from "qs";
import { ApiError, invalidRequest, missingParam } from "./errors";

export type Params = Record<string, unknown>;
export type Metadata = Record<string, string>;

const MAX_BODY_BYTES = 1_000_000;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalidRequest("Request body too large."));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Stripe's bracket encoding (`line_items[0][price_data][unit_amount]=…`). qs' defaults would turn
 * `line_items[21]` into an object key (arrayLimit 20) and stop nesting at depth 5, so widen both.
 */
export function parseForm(text: string): Params {
  return qs.parse(text, { depth: 10, arrayLimit: 1000, parameterLimit: 10_000 }) as Params;
}

export function isRecord(value: unknown): value is Params {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Stripe rejects any parameter it does not know; mirroring that catches typos before production does. */
export function assertKnownParams(params: Params, allowed: readonly string[], prefix = ""): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      const path = prefix ? `${prefix}[${key}]` : key;
      throw invalidRequest(`Received unknown parameter: ${path}`, path, "parameter_unknown");
    }
  }
}

export function optionalString(params: Params, key: string, path = key): string | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidRequest(`Invalid string: ${show(value)}`, path);
  return value;
}

export function requiredString(params: Params, key: string, path = key): string {
  const value = optionalString(params, key, path);
  if (value === undefined || value === "") throw missingParam(path);
  return value;
}

export function optionalInteger(params: Params, key: string, path = key): number | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) return Number(value);
  throw invalidRequest(`Invalid integer: ${show(value)}`, path, "parameter_invalid_integer");
}

export function optionalObject(params: Params, key: string, path = key): Params | undefined {
  const value = params[key];
  // An empty string is how form encoding says "unset" for hashes.
  if (value === undefined || value === "") return undefined;
  if (!isRecord(value)) throw invalidRequest(`Invalid object`, path);
  return value;
}

/** qs yields an array for `a[0]=…`, but an object when indices are sparse; accept both. */
export function optionalArray(params: Params, key: string, path = key): unknown[] | undefined {
  const value = params[key];
  if (value === undefined || value === "") return undefined;
  if (Array.isArray(value)) return value;
  if (isRecord(value) && Object.keys(value).every((k) => /^\d+$/.test(k))) {
    return Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => value[k]);
  }
  throw invalidRequest(`Invalid array`, path);
}

export function enumParam<T extends string>(
  params: Params,
  key: string,
  allowed: readonly T[],
  path = key,
): T | undefined {
  const value = optionalString(params, key, path);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    const list =
      allowed.length > 1 ? `${allowed.slice(0, -1).join(", ")}, or ${allowed.at(-1)}` : allowed.join("");
    throw invalidRequest(`Invalid ${key}: must be one of ${list}`, path, "parameter_invalid_string");
  }
  return value as T;
}

/** Metadata limits are Stripe's: 50 keys, keys up to 40 characters, values up to 500. */
export function metadataParam(params: Params, key = "metadata", path = key): Metadata {
  const value = optionalObject(params, key, path);
  if (value === undefined) return {};
  const entries = Object.entries(value);
  if (entries.length > 50) {
    throw invalidRequest("You can specify up to 50 keys in metadata.", path);
  }
  const out: Metadata = {};
  for (const [k, v] of entries) {
    if (typeof v !== "string") throw invalidRequest(`Invalid string: ${show(v)}`, `${path}[${k}]`);
    if (k.length > 40) {
      throw invalidRequest(
        `Metadata keys can have up to 40 characters, but you passed in a key that is ${k.length} characters.`,
        `${path}[${k}]`,
      );
    }
    if (v.length > 500) {
      throw invalidRequest(
        `Metadata values can have up to 500 characters, but you passed in a value that is ${v.length} characters.`,
        `${path}[${k}]`,
      );
    }
    out[k] = v;
  }
  return out;
}

export function expandParam(params: Params): string[] {
  const value = optionalArray(params, "expand");
  if (value === undefined) return [];
  return value.map((v) => {
    if (typeof v !== "string") throw invalidRequest(`Invalid string: ${show(v)}`, "expand");
    return v;
  });
}

export function limitParam(params: Params): number {
  const limit = optionalInteger(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest(
      "This value must be greater than or equal to 1 and less than or equal to 100.",
      "limit",
    );
  }
  return limit;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
