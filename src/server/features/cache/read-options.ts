import type { CacheKind } from "./keys";

/** The options of `Cache.read` / `Cache.readWith` (src/server/features/cache/cache.ts). */

export interface ReadOptions {
  kind: CacheKind;
  /** Version names the entry depends on: route pairs (`routeKey`), operator shares (`operatorRouteKey`). */
  versions?: string[];
  /** The connected operator the entry comes from, for the per-operator counters. */
  operator?: string;
  /**
   * How long one load may hold the single-flight lock (default the cache's `lockMs`, 3 s); waiters wait as
   * long, and load themselves only when the lock is gone without a value. Longer than the loader's own bound.
   */
  lockMs?: number;
  /**
   * A failed load shared with its waiters for `ms`: they (and requests arriving meanwhile) get a
   * `CacheLoadFailed` with `reason` instead of all asking the slow source again. Without it they load.
   */
  shareFailure?: { reason: (error: unknown) => string | undefined; ms: number };
}

export interface RelatedRead<T, R> {
  /** An unversioned kind (its keys embed the global version only, and are deleted to invalidate). */
  kind: CacheKind;
  operator?: string;
  keysOf(value: T): string[];
  load(key: string): Promise<R>;
  /** Loads many at once, used when Redis is off and every key must be loaded. */
  loadMany?(keys: string[]): Promise<R[]>;
}

/** What a loader may do besides returning its value: store related entries it learnt on the way. */
export interface LoadContext {
  prime(kind: CacheKind, key: string, value: unknown): void;
}

/** Another request's load of the same entry failed just now (see `ReadOptions.shareFailure`). */
export class CacheLoadFailed extends Error {
  constructor(readonly reason: string) {
    super(`a concurrent load failed: ${reason}`);
    this.name = "CacheLoadFailed";
  }
}
