import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "@upstash/redis";
import { CacheCounters, type CacheStats } from "./counters";
import {
  type CacheKind,
  DEFAULT_TTL,
  GLOBAL_VERSION_KEY,
  IMMUTABLE_KINDS,
  journalName,
  operatorRouteKey,
  operatorSailingKey,
  physicalKey,
  routeKey,
  versionKey,
} from "./keys";
import { Hints, LocalCopies } from "./local-copies";
import { CacheLoadFailed, type LoadContext, type ReadOptions, type RelatedRead } from "./read-options";
import { RedisGuard } from "./redis-guard";
import { Versions } from "./versions";

/**
 * The display cache in front of slow sources (Postgres for own operators, the connected operators'
 * systems), what search reads through `read` / `readWith`, in the shape of Epic Stack's `cachified`: a key,
 * a loader, options. Redis only ever holds copies; every read degrades to calling the loader when Redis is
 * slow or down. Key mechanics (versions, local copies, the speculative MGET, single flight) stay in this
 * folder.
 */

export type { CacheStats } from "./counters";
export { availabilityKey, type CacheKind, cacheKinds, routeKey } from "./keys";
export { CacheLoadFailed, type LoadContext, type ReadOptions, type RelatedRead } from "./read-options";

export interface CacheOptions {
  ttlSeconds?: Partial<Record<CacheKind, number>>;
  /** How long to stop talking to Redis after a failure before one request probes it again. */
  breakerCooldownMs?: number;
  /** How long a loader may hold the stampede lock, and how long waiters wait for its result. */
  lockMs?: number;
  now?: () => number;
}

const FAILED = "!failed:";

export class Cache {
  private readonly ttl: Record<CacheKind, number>;
  private readonly lockMs: number;
  private readonly now: () => number;
  private readonly guard: RedisGuard;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly local: LocalCopies;
  private readonly hints = new Hints();
  private readonly v: Versions;
  /** Hits, misses and loads per kind and operator; tests and metrics read these. */
  readonly counters: CacheCounters;

  constructor(redis: Redis | null, opts: CacheOptions = {}) {
    this.ttl = { ...DEFAULT_TTL, ...opts.ttlSeconds };
    this.lockMs = opts.lockMs ?? 3_000;
    this.now = opts.now ?? Date.now;
    this.local = new LocalCopies(this.now);
    // Redis may have come back empty (versions reset): local copies keyed by old versions could then be
    // mistaken for current ones, so forget them.
    this.guard = new RedisGuard(redis, opts.breakerCooldownMs ?? 5_000, this.now, () => this.local.clear());
    this.counters = new CacheCounters(this.now, (write) => this.guard.run(write));
    this.v = new Versions(this.guard, this.now, () => this.local.clear());
  }

  /** True when Redis is configured and the breaker is closed. */
  get enabled(): boolean {
    return this.guard.enabled;
  }

  get lastFailure(): string | null {
    return this.guard.lastFailure;
  }

  /** Actively checks Redis (used by /api/health); trips or resets the breaker like any call. */
  async ping(): Promise<"ok" | "disabled"> {
    if (!this.guard.redis || this.guard.coolingDown) return "disabled";
    const pong = await this.guard.run((r) => r.ping());
    return pong === undefined ? "disabled" : "ok";
  }

  // ---- reading ----------------------------------------------------------------------------------

  /** The cached value of `key`, or the loader's, stored for the kind's TTL. */
  async read<T>(key: string, loader: (ctx: LoadContext) => Promise<T>, opts: ReadOptions): Promise<T> {
    return (await this.readWith(key, loader, opts)).value;
  }

  /**
   * An entry and the entries read right after it (a day's schedule, then its sailings' availability).
   * A process that read the same entry before bets that nothing changed: it reads the versions and the
   * related keys in one MGET and answers from its local copy, so a warm read costs one round trip.
   */
  async readWith<T, R = never>(
    key: string,
    loader: (ctx: LoadContext) => Promise<T>,
    opts: ReadOptions,
    related?: RelatedRead<T, R>,
  ): Promise<{ value: T; related: R[] }> {
    const names = opts.versions ?? [];
    const id = journalName(opts.kind, names, key);
    const relKind = related?.kind;
    const loadRel = (k: string) => this.counted(relKind!, k, [], related!.operator, () => related!.load(k));
    const direct = async () => {
      this.counters.disabled(opts.kind);
      // What the loader learnt on the way answers its related keys: loading them again would ask the
      // source a second time for what it has just said.
      const learnt = new Map<string, R>();
      const ctx: LoadContext = {
        prime: (kind, k, val) => {
          if (kind === relKind) learnt.set(k, val as R);
        },
      };
      const value = await this.counted(opts.kind, key, names, opts.operator, () => loader(ctx));
      const keys = related?.keysOf(value) ?? [];
      const missing = keys.filter((k) => !learnt.has(k));
      let loaded: R[];
      if (missing.length > 0 && related?.loadMany) {
        for (const k of missing)
          this.counters.count(related.kind, "load", related.operator, journalName(related.kind, [], k));
        loaded = await related.loadMany(missing);
      } else loaded = await Promise.all(missing.map(loadRel));
      for (const [i, k] of missing.entries()) learnt.set(k, loaded[i] as R);
      return { value, related: keys.map((k) => learnt.get(k) as R) };
    };
    if (!this.enabled) return direct();
    const hint = related ? this.hints.get(id) : undefined;
    let v: { global: number; routes: number[] } | undefined;
    let value: T | undefined;
    let prefetched: Map<string, R | null> | undefined;
    if (hint) {
      const res = await this.versionsWith<R>(names, hint.related);
      v = res;
      if (res && res.global === hint.global && sameNumbers(res.routes, hint.versions)) {
        const copy = this.local.get<T>(this.keyOf(opts.kind, res, names, key));
        if (copy !== undefined) {
          this.counters.count(opts.kind, "hit", opts.operator);
          value = copy;
          prefetched = new Map(hint.related.map((k, i) => [k, res.extra[i] ?? null]));
        }
      }
    }
    v ??= await this.versions(names);
    if (!v) return direct();
    const at = v;
    if (value === undefined) {
      const primed: [string, unknown, CacheKind][] = [];
      const ctx: LoadContext = {
        prime: (kind, k, val) => primed.push([physicalKey(kind, at.global, [], k), val, kind]),
      };
      const load = async () => {
        const out = await this.counted(opts.kind, key, names, opts.operator, () => loader(ctx));
        if (primed.length) await this.writeMany(primed);
        return out;
      };
      value = await this.getOrLoad(opts.kind, this.keyOf(opts.kind, at, names, key), load, false, opts);
    }
    if (!related || relKind === undefined) return { value, related: [] };
    const keys = related.keysOf(value);
    const physical = keys.map((k) => physicalKey(relKind, at.global, [], k));
    this.hints.set(id, { global: at.global, versions: at.routes, related: physical });
    const relOpts: ReadOptions = { kind: relKind, operator: related.operator };
    const values = await Promise.all(
      physical.map(async (pk, i) => {
        const found = prefetched ? (prefetched.get(pk) ?? null) : undefined;
        if (found !== undefined && found !== null) {
          this.counters.count(relKind, "hit", related.operator);
          return found;
        }
        return this.getOrLoad(relKind, pk, () => loadRel(keys[i] as string), found === null, relOpts);
      }),
    );
    return { value, related: values };
  }

  private keyOf(kind: CacheKind, v: { global: number; routes: number[] }, names: string[], key: string) {
    return physicalKey(
      kind,
      v.global,
      names.map((name, i) => ({ name, value: v.routes[i] ?? 0 })),
      key,
    );
  }

  private counted<T>(
    kind: CacheKind,
    key: string,
    names: string[],
    operator: string | undefined,
    load: () => Promise<T>,
  ): Promise<T> {
    this.counters.count(kind, "load", operator, journalName(kind, names, key));
    return load();
  }

  private async writeMany(entries: [string, unknown, CacheKind][]) {
    await this.guard.run(async (r) => {
      const p = r.pipeline();
      for (const [k, val, kind] of entries) p.set(k, val, { ex: this.ttl[kind] });
      await p.exec();
    });
  }

  // ---- versions ---------------------------------------------------------------------------------

  /** The global version and the named versions, in one round trip. */
  async versions(names: string[]): Promise<{ global: number; routes: number[] } | undefined> {
    return this.versionsWith(names, []);
  }

  private versionsWith<T>(names: string[], extraKeys: string[]) {
    return this.v.read<T>(names, extraKeys);
  }

  // ---- invalidation ----------------------------------------------------------------------------

  /** A schedule or price change on a route pair: one INCR, old keys simply stop being read. */
  async invalidateRoute(from: string, to: string): Promise<void> {
    await this.invalidateVersion(routeKey(from, to));
  }

  /** Bumps one version name (a route pair, or an operator's share of one: `operatorRouteKey`). */
  async invalidateVersion(name: string): Promise<void> {
    await this.guard.run((r) => r.incr(versionKey(name)));
  }

  /** A connected operator's change on a route pair: its schedule entries there are read afresh. */
  async invalidateOperatorRoute(operator: string, from: string, to: string): Promise<void> {
    await this.invalidateVersion(operatorRouteKey(operator, from, to));
  }

  /** A connected operator's sailings whose places changed. */
  async invalidateOperatorAvailability(operator: string, sailingRefs: string[]): Promise<void> {
    await this.invalidateEntries(
      "operator-availability",
      sailingRefs.map((ref) => operatorSailingKey(operator, ref)),
    );
  }

  async invalidateSailingAvailability(sailingIds: number | number[]): Promise<void> {
    const ids = Array.isArray(sailingIds) ? sailingIds : [sailingIds];
    await this.invalidateEntries(
      "availability",
      ids.map((id) => String(id)),
    );
  }

  /** Deletes entries of an unversioned kind (availability) under the current global version. */
  async invalidateEntries(kind: CacheKind, keys: string[]): Promise<void> {
    await this.v.deleteEntries(kind, keys);
  }

  /** Everything at once: bump the global version embedded in every key. */
  async clearAll(): Promise<void> {
    // Reading first gives a missing global version a fresh epoch (`newEpoch`); a bare INCR restarts at 1.
    if (!(await this.versions([]))) return;
    await this.guard.run((r) => r.incr(GLOBAL_VERSION_KEY));
  }

  // ---- single flight ---------------------------------------------------------------------------

  /**
   * Returns the cached value or loads it once. When many requests miss the same key together, the
   * first takes a short `SET NX` lock (shared across processes) and loads; the others poll for its
   * result instead of all hitting the source. If the loader dies, the lock expires and someone else loads.
   */
  async getOrLoad<T>(
    kind: CacheKind,
    key: string,
    loader: () => Promise<T>,
    knownMiss = false,
    opts?: Pick<ReadOptions, "operator" | "lockMs" | "shareFailure">,
  ): Promise<T> {
    if (!this.enabled) {
      this.counters.disabled(kind);
      return loader();
    }
    // Requests in this process that want the same key share one Redis round trip (and at most one
    // load); the SET NX lock below does the same across processes.
    const pending = this.inflight.get(key) as Promise<T> | undefined;
    if (pending) {
      this.counters.count(kind, "hit", opts?.operator);
      return pending;
    }
    const p = this.readThrough(kind, key, loader, knownMiss, opts).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async readThrough<T>(
    kind: CacheKind,
    key: string,
    loader: () => Promise<T>,
    knownMiss: boolean,
    opts: Pick<ReadOptions, "operator" | "lockMs" | "shareFailure"> = {},
  ): Promise<T> {
    const immutable = IMMUTABLE_KINDS.has(kind);
    const count = (outcome: "hit" | "miss") => this.counters.count(kind, outcome, opts.operator);
    if (immutable) {
      const copy = this.local.get<T>(key);
      if (copy !== undefined) {
        count("hit");
        return copy;
      }
    }
    const cached = knownMiss ? null : await this.guard.run((r) => r.get<T>(key));
    if (cached !== undefined && cached !== null) {
      count("hit");
      if (immutable) this.local.set(key, cached, this.ttl[kind]);
      return cached;
    }
    this.counters.count(kind, "miss", opts.operator, undefined, cached === undefined ? "error" : "miss");
    if (cached === undefined) return loader(); // Redis failed just now
    const token = randomUUID();
    const lockKey = `lock:${key}`;
    const lockMs = opts.lockMs ?? this.lockMs;
    const acquired = await this.guard.run((r) => r.set(lockKey, token, { nx: true, px: lockMs }));
    if (acquired === "OK") {
      let failed: string | undefined;
      try {
        const value = await loader();
        await this.guard.run((r) => r.set(key, value, { ex: this.ttl[kind] }));
        if (immutable) this.local.set(key, value, this.ttl[kind]);
        return value;
      } catch (e) {
        failed = opts.shareFailure?.reason(e);
        throw e;
      } finally {
        const share = opts.shareFailure;
        await this.guard.run((r) =>
          failed && share
            ? r.set(lockKey, `${FAILED}${failed}`, { px: share.ms }).then(() => 0)
            : r.del(lockKey),
        );
      }
    }
    if (acquired === undefined) return loader();
    const deadline = this.now() + lockMs;
    let delay = 10;
    while (this.now() < deadline) {
      const [v, lock] = (await this.guard.run((r) => r.mget<[T | null, string | null]>(key, lockKey))) ?? [];
      if (v !== undefined && v !== null) return v;
      if (typeof lock === "string" && lock.startsWith(FAILED)) throw new CacheLoadFailed(lock.slice(8));
      // Redis failed, or the lock is gone without a value (its loader died or could not store it): load.
      if (v === undefined || lock === null) break;
      await sleep(delay);
      delay = Math.min(delay * 2, 100);
    }
    return loader();
  }

  // ---- statistics -------------------------------------------------------------------------------

  async flushStats(): Promise<void> {
    await this.counters.flushStats();
  }

  async stats(): Promise<CacheStats> {
    return this.counters.stats(this.enabled, (op) => this.guard.run(op));
  }

  ttlFor(kind: CacheKind): number {
    return this.ttl[kind];
  }
}

function sameNumbers(a: number[], b: number[]) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
