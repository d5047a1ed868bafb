import type { Outcome, Reply } from "./backend";

/**
 * The JSON side of the Upstash REST protocol: turning request bodies into Redis commands and
 * Redis replies into what `@upstash/redis` expects to read.
 */

export type Json = string | number | null | Json[];

export class ProtocolError extends Error {
  override name = "ProtocolError";
}

const PARSE_ERROR = "ERR failed to parse command";

/**
 * One command: a non-empty JSON array of strings, numbers or booleans. The SDK sends numbers
 * unquoted (`["set","k","v","ex",5]`); Redis only knows strings, so everything is stringified.
 */
export function toCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new ProtocolError(PARSE_ERROR);
  return value.map((arg) => {
    if (typeof arg === "string") return arg;
    if (typeof arg === "number" || typeof arg === "boolean") return String(arg);
    throw new ProtocolError(PARSE_ERROR);
  });
}

/** A `/pipeline` or `/multi-exec` body: a non-empty array of commands. */
export function toCommands(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0) throw new ProtocolError(PARSE_ERROR);
  return value.map(toCommand);
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ProtocolError(PARSE_ERROR);
  }
}

/**
 * Encodes a reply for the wire. With `Upstash-Encoding: base64` every string, at any depth, is
 * the base64 of its bytes: the SDK base64-decodes each string it finds (only a top-level "OK"
 * is passed through untouched), so a plain "PONG" or a nested "OK" would be corrupted. Encoding
 * "OK" too is accepted by the SDK and keeps the rule uniform. Integers stay JSON numbers.
 */
export function encodeReply(reply: Reply | Error, base64: boolean): Json {
  if (reply === null || typeof reply === "number") return reply;
  if (Array.isArray(reply)) return reply.map((item) => encodeReply(item, base64));
  // A nested error (e.g. inside a Lua table reply) has no JSON shape of its own; send its text.
  const bytes = reply instanceof Error ? Buffer.from(reply.message) : Buffer.from(reply);
  return base64 ? bytes.toString("base64") : bytes.toString("utf8");
}

export function encodeOutcome(outcome: Outcome, base64: boolean): { result: Json } | { error: string } {
  // Error texts are never encoded: the SDK reads them as plain strings.
  return "error" in outcome ? { error: outcome.error } : { result: encodeReply(outcome.result, base64) };
}

/**
 * Upstash's command-in-path form: `/set/foo/bar?EX=10` is `SET foo bar EX 10`, and a POST body,
 * if any, is appended as the last argument (how large values are sent with curl).
 */
export function commandFromPath(pathname: string, query: URLSearchParams, body: string): string[] {
  let segments: string[];
  try {
    segments = pathname
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent);
  } catch {
    throw new ProtocolError(PARSE_ERROR);
  }
  for (const [name, value] of query) {
    // `_token` is Upstash's query-string alternative to the Authorization header, not an argument.
    if (name === "_token") continue;
    segments.push(name);
    if (value !== "") segments.push(value);
  }
  if (body !== "") segments.push(body);
  if (segments.length === 0) throw new ProtocolError(PARSE_ERROR);
  return segments;
}
