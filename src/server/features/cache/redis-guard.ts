import type { Redis } from "@upstash/redis";
import { log } from "@/server/lib/log";

const TIMEOUTS_TO_OPEN = 3;

/**
 * Every Redis call of the cache goes through here: it returns `undefined` when Redis is skipped or fails,
 * so callers treat it as a miss, and a circuit breaker stops paying the timeout on every request until
 * Redis answers again. While open nothing is sent; when the cooldown is over, exactly one caller probes
 * and the others keep skipping until it answers.
 */
export class RedisGuard {
  private openUntil = 0;
  private probing = false;
  private consecutiveTimeouts = 0;
  private lastError: string | null = null;

  constructor(
    readonly redis: Redis | null,
    private readonly cooldownMs: number,
    private readonly now: () => number,
    /** Redis answered again after an outage (it may have come back empty). */
    private readonly onRecovered: () => void,
  ) {}

  get enabled(): boolean {
    return this.redis !== null && this.now() >= this.openUntil;
  }

  get coolingDown(): boolean {
    return this.now() < this.openUntil;
  }

  get lastFailure(): string | null {
    return this.lastError;
  }

  async run<T>(op: (r: Redis) => Promise<T>): Promise<T | undefined> {
    const redis = this.redis;
    if (!redis) return undefined;
    const halfOpen = this.openUntil > 0 && this.now() >= this.openUntil;
    if (this.now() < this.openUntil) return undefined;
    if (halfOpen) {
      if (this.probing) return undefined;
      this.probing = true;
    }
    try {
      const result = await op(redis);
      this.consecutiveTimeouts = 0;
      if (halfOpen) {
        this.openUntil = 0;
        this.lastError = null;
        this.onRecovered();
        log.info("cache re-enabled: Redis answers again");
      }
      return result;
    } catch (e) {
      this.lastError = (e as Error).message.split(", command was")[0] ?? "error";
      // A refused connection or an error answer means Redis is down: open at once. A lone timeout may be
      // a burst on a healthy Redis, so it takes a few in a row (each already costs at most the timeout).
      const isTimeout = (e as Error).name === "TimeoutError" || /timeout/i.test(this.lastError);
      if (isTimeout && !halfOpen && ++this.consecutiveTimeouts < TIMEOUTS_TO_OPEN) return undefined;
      const wasClosed = this.openUntil === 0;
      this.openUntil = this.now() + this.cooldownMs;
      this.consecutiveTimeouts = 0;
      if (wasClosed) log.warn("cache disabled: Redis failed", { error: this.lastError });
      return undefined;
    } finally {
      if (halfOpen) this.probing = false;
    }
  }
}
