// Small HTTP helpers of the Stripe emulator's server.
import type { IncomingMessage, ServerResponse } from "node:http";

export function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

export function json(value: unknown): string {
  // Stripe pretty-prints its JSON; matching it keeps raw-body diffing against production sane.
  return JSON.stringify(value, null, 2);
}

export function apiKeyFrom(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization ?? "";
  if (auth.startsWith("Bearer ")) return auth.slice(7).trim() || undefined;
  // curl -u sk_test_…: works against Stripe, so it works here.
  if (auth.startsWith("Basic "))
    return Buffer.from(auth.slice(6), "base64").toString("utf8").split(":")[0] || undefined;
  return undefined;
}

export function redactKey(key: string): string {
  const prefix = /^[a-z]{2,3}_(test|live)_/.exec(key)?.[0] ?? "";
  const rest = key.slice(prefix.length);
  return `${prefix}${"*".repeat(Math.max(0, rest.length - 4))}${rest.slice(-4)}`;
}
