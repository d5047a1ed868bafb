// Stripe's Idempotency-Key semantics: keys are scoped to the API key and kept 24 hours; a reuse
// with the same endpoint and parameters replays the stored response, anything else is refused.
import { ApiError } from "./errors";
import type { Params } from "./form";

const TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  endpoint: string;
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
  storedAt: number;
}

export type Lookup =
  | { kind: "miss" }
  | { kind: "replay"; stored: StoredResponse }
  | { kind: "conflict"; error: ApiError };

/** Order-independent so `a=1&b=2` and `b=2&a=1` count as the same parameters. */
export function fingerprint(params: Params): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, canonical((value as Params)[k])]),
      );
    }
    return value;
  };
  return JSON.stringify(canonical(params));
}

export class IdempotencyCache {
  private readonly entries = new Map<string, StoredResponse>();
  private readonly inFlight = new Set<string>();

  /**
   * Marks a key as in progress (a request held by an injected delay or hang). False when it already is:
   * Stripe refuses a second request with a key whose first request has not finished.
   */
  begin(apiKey: string, key: string): boolean {
    const id = `${apiKey}\u0000${key}`;
    if (this.inFlight.has(id)) return false;
    this.inFlight.add(id);
    return true;
  }

  end(apiKey: string, key: string): void {
    this.inFlight.delete(`${apiKey}\u0000${key}`);
  }

  static inProgress(key: string): ApiError {
    return new ApiError(409, {
      type: "idempotency_error",
      message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
    });
  }

  lookup(apiKey: string, key: string, endpoint: string, params: Params): Lookup {
    this.purge();
    const stored = this.entries.get(`${apiKey}\u0000${key}`);
    if (!stored) return { kind: "miss" };
    if (stored.endpoint !== endpoint) {
      return {
        kind: "conflict",
        error: new ApiError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        }),
      };
    }
    if (stored.fingerprint !== fingerprint(params)) {
      return {
        kind: "conflict",
        error: new ApiError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        }),
      };
    }
    return { kind: "replay", stored };
  }

  save(apiKey: string, key: string, response: Omit<StoredResponse, "storedAt">): void {
    this.entries.set(`${apiKey}\u0000${key}`, { ...response, storedAt: Date.now() });
  }

  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
  }

  private purge(): void {
    const cutoff = Date.now() - TTL_MS;
    for (const [key, entry] of this.entries) {
      if (entry.storedAt < cutoff) this.entries.delete(key);
    }
  }
}
