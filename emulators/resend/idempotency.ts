// Resend keeps an Idempotency-Key for 24 hours: the same key with the same payload answers the first
// response again without sending; a different payload is a 409. Only successful responses are kept,
// so a request that failed (validation, injected 500, 429) can be retried with the same key — that is
// exactly what the worker does after a 5xx.
import type { ApiResponse } from "./errors";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

interface StoredResponse {
  fingerprint: string;
  response: ApiResponse;
  storedAt: number;
}

export type IdempotencyLookup =
  | { kind: "new" }
  | { kind: "replay"; response: ApiResponse }
  | { kind: "mismatch" };

/** Stable JSON: key order must not make two equal payloads look different. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export class IdempotencyStore {
  private readonly stored = new Map<string, StoredResponse>();
  private readonly inFlight = new Set<string>();

  /** Keys are scoped per API key, as Resend scopes them per team. */
  private static id(apiKey: string, key: string): string {
    return `${apiKey}\u0000${key}`;
  }

  /** Returns false when a request with this key is still being processed. */
  begin(apiKey: string, key: string): boolean {
    const id = IdempotencyStore.id(apiKey, key);
    if (this.inFlight.has(id)) return false;
    this.inFlight.add(id);
    return true;
  }

  end(apiKey: string, key: string): void {
    this.inFlight.delete(IdempotencyStore.id(apiKey, key));
  }

  lookup(apiKey: string, key: string, fingerprint: string, now: number): IdempotencyLookup {
    const id = IdempotencyStore.id(apiKey, key);
    const entry = this.stored.get(id);
    if (!entry) return { kind: "new" };
    if (now - entry.storedAt >= IDEMPOTENCY_TTL_MS) {
      this.stored.delete(id);
      return { kind: "new" };
    }
    return entry.fingerprint === fingerprint
      ? { kind: "replay", response: entry.response }
      : { kind: "mismatch" };
  }

  save(apiKey: string, key: string, fingerprint: string, response: ApiResponse, now: number): void {
    this.stored.set(IdempotencyStore.id(apiKey, key), { fingerprint, response, storedAt: now });
  }

  reset(): void {
    this.stored.clear();
    this.inFlight.clear();
  }
}
