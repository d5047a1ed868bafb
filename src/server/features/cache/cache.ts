import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "@upstash/redis";
import { log } from "@/server/lib/log";
import { metrics } from "@/server/lib/metrics";
import { availabilityKey, routeKey } from "./keys";
export { availabilityKey, routeKey };

/**
 * The display cache in front of Postgres, what search reads (features/search). Redis only ever holds
 * copies of what Postgres says; every method degrades to "miss" when Redis is slow or down, and a circuit
 * breaker stops paying the timeout on every request until Redis answers again.
 */

export type CacheKind = "schedule" | "availability" | "calendar";
export const cacheKinds: CacheKind[] = ["schedule", "availability", "calendar"];

export interface CacheOptions {
  ttlSeconds?: Partial<Record<CacheKind, number>>;
  /** How long to stop talking to Redis after a failure before one request probes it again. */
  breakerCooldownMs?: number;
  /** How long a loader may hold the stampede lock, and how long waiters wait for its result. */
  lockMs?: number;
  now?: () => number;
}

const DEFAULT_TTL: Record<CacheKind, number> = { schedule: 300, availability: 60, calendar: 300 };
const STATS_BUCKET_TTL = 25 * 3600;
const TIMEOUTS_TO_OPEN = 3;
/** Kinds whose keys embed the versions of everything they contain (see `remember`). */
const IMMUTABLE_KINDS = new Set<CacheKind>(["schedule", "calendar"]);
const LOCAL_MAX_ENTRIES = 2_000;

export interface CacheStats {
  enabled: boolean;
  hits: number;
  misses: number;
  hitRate: number | null;
  byKind: Record<CacheKind, { hits: number; misses: number }>;
  /** Per-minute buckets for the last 24 h, oldest first, only minutes with traffic. */
  series: { minute: string; hits: number; misses: number }[];
}

export class Cache {
  private readonly ttl: Record<CacheKind, number>;
  private readonly cooldownMs: number;
  private readonly lockMs: number;
  private readonly now: () => number;
  private openUntil = 0;
  private probing = false;
  private consecutiveTimeouts = 0;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly local = new Map<string, { value: unknown; expiresAt: number }>();
  private pendingCounts = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly redis: Redis | null,
    opts: CacheOptions = {},
  ) {
    this.ttl = { ...DEFAULT_TTL, ...opts.ttlSeconds };
    this.cooldownMs = opts.breakerCooldownMs ?? 5_000;
    this.lockMs = opts.lockMs ?? 3_000;
    this.now = opts.now ?? Date.now;
  }

  /** 'ok' when Redis is configured and the breaker is closed. */
  get enabled(): boolean {
    return this.redis !== null && this.now() >= this.openUntil;
  }

  get lastFailure(): string | null {
    return this.lastError;
  }

  /**
   * Runs one Redis call through the breaker. Returns `undefined` when Redis is skipped or fails, so
   * callers treat it as a miss. While the breaker is open nothing is sent; when the cooldown is over,
   * exactly one caller probes and the others keep skipping until it answers.
   */
  private async guard<T>(op: (r: Redis) => Promise<T>): Promise<T | undefined> {
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
        // Redis may have come back empty (versions reset to 0): local copies keyed by old versions could
        // then be mistaken for current ones, so forget them.
        this.local.clear();
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

  /** Actively checks Redis (used by /api/health); trips or resets the breaker like any call. */
  async ping(): Promise<"ok" | "disabled"> {
    if (!this.redis) return "disabled";
    if (this.now() < this.openUntil) {
      // Still cooling down; let the health check itself be the probe once the cooldown is over.
      return "disabled";
    }
    const pong = await this.guard((r) => r.ping());
    return pong === undefined ? "disabled" : "ok";
  }

  // ---- versions ---------------------------------------------------------------------------------

  /** The global version and the route versions, in one round trip. */
  async versions(routeKeys: string[]): Promise<{ global: number; routes: number[] } | undefined> {
    return this.versionsWith(routeKeys, []);
  }

  /**
   * `v:global` is missing: Redis is new or came back empty, and reset counters could name copies cached
   * before (by a process that never saw the restart) older than the changes that had bumped them. Keys all
   * embed the global version: it restarts at a never-used value (the clock, ms); SET NX makes racers agree.
   */
  private async newEpoch(): Promise<number | undefined> {
    const epoch = this.now();
    this.local.clear();
    return this.guard(async (r) => {
      if ((await r.set("v:global", epoch, { nx: true })) === "OK") return epoch;
      return Number((await r.get("v:global")) ?? epoch);
    });
  }

  /**
   * The versions plus a speculative read of other keys, in a single MGET: when a caller can guess the keys
   * it will need next (see search), a warm read costs one round trip instead of two.
   */
  async versionsWith<T>(
    routeKeys: string[],
    extraKeys: string[],
  ): Promise<{ global: number; routes: number[]; extra: (T | null)[] } | undefined> {
    const res = await this.guard((r) =>
      r.mget<unknown[]>("v:global", ...routeKeys.map((k) => `v:route:${k}`), ...extraKeys),
    );
    const global = res && ((res[0] ?? null) === null ? await this.newEpoch() : Number(res[0]));
    if (res === undefined || global === undefined) return undefined;
    return {
      global,
      routes: routeKeys.map((_, i) => Number(res[i + 1] ?? 0)),
      extra: res.slice(1 + routeKeys.length) as (T | null)[],
    };
  }

  /** This process's copy of an immutable entry, counted as a hit; no Redis call. */
  peekLocal<T>(kind: CacheKind, key: string): T | undefined {
    if (!this.enabled || !IMMUTABLE_KINDS.has(kind)) return undefined;
    const local = this.local.get(key);
    if (!local || local.expiresAt <= this.now()) return undefined;
    this.count(kind, "hit");
    return local.value as T;
  }

  /** A schedule or price change on a route pair: one INCR, old keys simply stop being read. */
  async invalidateRoute(from: string, to: string): Promise<void> {
    await this.guard((r) => r.incr(`v:route:${routeKey(from, to)}`));
  }

  async invalidateSailingAvailability(sailingIds: number | number[]): Promise<void> {
    const ids = Array.isArray(sailingIds) ? sailingIds : [sailingIds];
    if (ids.length === 0) return;
    await this.guard(async (r) => {
      const global = Number((await r.get<number>("v:global")) ?? 0);
      await r.del(...ids.map((id) => availabilityKey(global, id)));
    });
  }

  /** Everything at once: bump the global version embedded in every key. */
  async clearAll(): Promise<void> {
    // Reading first gives a missing global version a fresh epoch (`newEpoch`); a bare INCR restarts at 1.
    if (!(await this.versions([]))) return;
    await this.guard((r) => r.incr("v:global"));
  }

  // ---- read-through with stampede protection --------------------------------------------------

  /**
   * Returns the cached value or loads it once. When many requests miss the same key together, the
   * first takes a short `SET NX` lock (shared across processes) and loads; the others poll for its
   * result instead of all hitting Postgres. If the loader dies, the lock expires and someone else loads.
   */
  async getOrLoad<T>(kind: CacheKind, key: string, loader: () => Promise<T>, knownMiss = false): Promise<T> {
    if (!this.enabled) return this.bypass(kind, loader);
    // Requests in this process that want the same key share one Redis round trip (and at most one
    // load); the SET NX lock below does the same across processes.
    const pending = this.inflight.get(key) as Promise<T> | undefined;
    if (pending) {
      this.count(kind, "hit");
      return pending;
    }
    const p = this.readThrough(kind, key, loader, knownMiss).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async readThrough<T>(
    kind: CacheKind,
    key: string,
    loader: () => Promise<T>,
    knownMiss: boolean,
  ): Promise<T> {
    const immutable = IMMUTABLE_KINDS.has(kind);
    if (immutable) {
      const local = this.local.get(key);
      if (local && local.expiresAt > this.now()) {
        this.count(kind, "hit");
        return local.value as T;
      }
    }
    const cached = knownMiss ? null : await this.guard((r) => r.get<T>(key));
    if (cached !== undefined && cached !== null) {
      this.count(kind, "hit");
      if (immutable) this.remember(kind, key, cached);
      return cached;
    }
    this.count(kind, "miss", cached === undefined ? "error" : "miss");
    if (cached === undefined) return loader(); // Redis failed just now
    const token = randomUUID();
    const lockKey = `lock:${key}`;
    const acquired = await this.guard((r) => r.set(lockKey, token, { nx: true, px: this.lockMs }));
    if (acquired === "OK") {
      try {
        const value = await loader();
        await this.guard((r) => r.set(key, value, { ex: this.ttl[kind] }));
        if (immutable) this.remember(kind, key, value);
        return value;
      } finally {
        await this.guard((r) => r.del(lockKey));
      }
    }
    if (acquired === undefined) return loader();
    const deadline = this.now() + this.lockMs;
    let delay = 10;
    while (this.now() < deadline) {
      await sleep(delay);
      delay = Math.min(delay * 2, 100);
      const v = await this.guard((r) => r.get<T>(key));
      if (v === undefined) break;
      if (v !== null) return v;
    }
    return loader();
  }

  /**
   * Keeps a copy of an immutable entry in this process. Safe only for keys that embed every version that
   * can change their content (schedule, calendar): a version bump makes readers ask for a new key, so a
   * local copy can never be stale, and the TTL only bounds memory. Saves a Redis round trip per search.
   */
  private remember(kind: CacheKind, key: string, value: unknown) {
    this.local.set(key, { value, expiresAt: this.now() + this.ttl[kind] * 1000 });
    if (this.local.size > LOCAL_MAX_ENTRIES) {
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
  }

  /** Availability for many sailings at once: one MGET, then the misses go through getOrLoad. */
  async getManyOrLoad<T>(
    kind: CacheKind,
    keys: string[],
    loadOne: (index: number) => Promise<T>,
  ): Promise<T[]> {
    if (keys.length === 0) return [];
    const found = this.enabled ? await this.guard((r) => r.mget<(T | null)[]>(...keys)) : undefined;
    return this.fillMany(kind, keys, found, loadOne);
  }

  /** Values already read for `keys` (e.g. by `versionsWith`): count the hits, load the misses once. */
  async fillMany<T>(
    kind: CacheKind,
    keys: string[],
    found: (T | null)[] | undefined,
    loadOne: (index: number) => Promise<T>,
  ): Promise<T[]> {
    return Promise.all(
      keys.map(async (key, i) => {
        const hit = found?.[i];
        if (hit !== undefined && hit !== null) {
          this.count(kind, "hit");
          return hit;
        }
        return this.getOrLoad(kind, key, () => loadOne(i), true);
      }),
    );
  }

  // ---- statistics ---------------------------------------------------------------------------------

  /**
   * Counts are summed in memory and written once a second in one pipeline: statistics never add a
   * round trip to a search, and a busy instance sends one small request per second for them. Every read
   * ends here or in `bypass`, so `traverse_cache_requests_total` (a Redis failure is an "error") is too.
   */
  private count(kind: CacheKind, outcome: "hit" | "miss", result: "hit" | "miss" | "error" = outcome) {
    metrics().cacheRequests.inc({ cache: kind, result });
    const field = `${Math.floor(this.now() / 60_000)}|${kind}:${outcome}`;
    this.pendingCounts.set(field, (this.pendingCounts.get(field) ?? 0) + 1);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flushStats(), 1_000);
      this.flushTimer.unref?.();
    }
  }

  private bypass<T>(kind: CacheKind, loader: () => Promise<T>): Promise<T> {
    metrics().cacheRequests.inc({ cache: kind, result: "disabled" });
    return loader();
  }

  async flushStats(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const counts = this.pendingCounts;
    if (counts.size === 0) return;
    this.pendingCounts = new Map();
    await this.guard(async (r) => {
      const p = r.pipeline();
      const minutes = new Set<string>();
      for (const [k, n] of counts) {
        const [minute, field] = k.split("|") as [string, string];
        minutes.add(minute);
        p.hincrby(`stats:${minute}`, field, n);
      }
      for (const m of minutes) p.expire(`stats:${m}`, STATS_BUCKET_TTL);
      await p.exec();
    });
  }

  async stats(): Promise<CacheStats> {
    await this.flushStats();
    const byKind = Object.fromEntries(
      cacheKinds.map((k) => [k, { hits: 0, misses: 0 }]),
    ) as CacheStats["byKind"];
    const series: CacheStats["series"] = [];
    const nowMinute = Math.floor(this.now() / 60_000);
    const minutes = Array.from({ length: 24 * 60 }, (_, i) => nowMinute - 24 * 60 + 1 + i);
    const buckets = await this.guard(async (r) => {
      const p = r.pipeline();
      for (const m of minutes) p.hgetall(`stats:${m}`);
      return (await p.exec()) as (Record<string, number | string> | null)[];
    });
    buckets?.forEach((b, i) => {
      if (!b) return;
      let hits = 0;
      let misses = 0;
      for (const [field, raw] of Object.entries(b)) {
        const [kind, outcome] = field.split(":") as [CacheKind, string];
        const n = Number(raw);
        if (!byKind[kind]) continue;
        if (outcome === "hit") {
          byKind[kind].hits += n;
          hits += n;
        } else {
          byKind[kind].misses += n;
          misses += n;
        }
      }
      series.push({ minute: new Date((minutes[i] ?? 0) * 60_000).toISOString(), hits, misses });
    });
    const hits = cacheKinds.reduce((s, k) => s + byKind[k].hits, 0);
    const misses = cacheKinds.reduce((s, k) => s + byKind[k].misses, 0);
    return {
      enabled: this.enabled,
      hits,
      misses,
      hitRate: hits + misses === 0 ? null : hits / (hits + misses),
      byKind,
      series,
    };
  }

  ttlFor(kind: CacheKind): number {
    return this.ttl[kind];
  }
}
