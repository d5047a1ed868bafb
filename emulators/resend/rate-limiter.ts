// Sliding one-second window per API key, like Resend's default of 2 requests/s per team.
// A sliding (not fixed) window is deliberate: tests assert that no 1-second span ever holds more
// than N accepted requests, which a fixed window would allow at its boundary (2N).

export interface RateLimitDecision {
  allowed: boolean;
  /** IETF draft headers Resend sends: ratelimit-limit, ratelimit-remaining, ratelimit-reset (+ retry-after on 429). */
  headers: Record<string, string>;
}

const WINDOW_MS = 1000;

export class SlidingWindowRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limit: number) {}

  take(apiKey: string, now: number): RateLimitDecision {
    const recent = (this.hits.get(apiKey) ?? []).filter((time) => time > now - WINDOW_MS);
    const allowed = recent.length < this.limit;
    if (allowed) recent.push(now);
    this.hits.set(apiKey, recent);
    const oldest = recent[0] ?? now;
    // Whole seconds, rounded up: a client sleeping this long is guaranteed a free slot.
    const resetSeconds = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    const headers: Record<string, string> = {
      "ratelimit-limit": String(this.limit),
      "ratelimit-remaining": String(Math.max(0, this.limit - recent.length)),
      "ratelimit-reset": String(resetSeconds),
    };
    if (!allowed) headers["retry-after"] = String(resetSeconds);
    return { allowed, headers };
  }

  reset(): void {
    this.hits.clear();
  }
}
