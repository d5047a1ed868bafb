import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody as readBounded, writeJson } from "../shared/http";

/** Attachments may total 40 MB, i.e. ~54 MB of base64; anything beyond this is refused. */
export const MAX_BODY_BYTES = 60 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return readBounded(req, limit, () => new BodyTooLargeError());
}

/** Parses JSON; an empty or malformed body is `{ ok: false }`. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export const sendJson = writeJson;

// The inbox renders untrusted email HTML: no scripts anywhere (the srcdoc iframe inherits this
// policy), nothing posted or embedded from elsewhere.
const INBOX_CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": String(Buffer.byteLength(html)),
    "content-security-policy": INBOX_CSP,
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  });
  res.end(html);
}
