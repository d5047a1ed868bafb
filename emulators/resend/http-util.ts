import type { IncomingMessage, ServerResponse } from "node:http";

/** Attachments may total 40 MB, i.e. ~54 MB of base64; anything beyond this is refused. */
export const MAX_BODY_BYTES = 60 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
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

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

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
