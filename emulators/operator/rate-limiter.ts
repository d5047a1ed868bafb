// Token bucket per API key: `burst` requests at once, refilled at `perSecond`. Real time, not the
// emulator's business clock, because it limits how fast a client really calls.

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(
      this.limit.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond,
    );
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    const headers: Record<string, string> = {
      "ratelimit-limit": String(this.limit.perSecond),
      "ratelimit-remaining": String(Math.floor(bucket.tokens)),
    };
    if (!allowed) {
      // Whole seconds, rounded up: waiting this long always finds a token.
      headers["retry-after"] = String(Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond)));
    }
    return { allowed, headers };
  }

  reset(): void {
    this.buckets.clear();
  }
}
