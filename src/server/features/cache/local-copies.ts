const LOCAL_MAX_ENTRIES = 2_000;

/**
 * This process's copies of immutable entries (keys that embed every version that can change their
 * content): a version bump makes readers ask for a new key, so a copy can never be stale, and the TTL only
 * bounds memory. Saves a Redis round trip per search. Oldest first out past the bound.
 */
export class LocalCopies {
  private readonly map = new Map<string, { value: unknown; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  get<T>(key: string): T | undefined {
    const hit = this.map.get(key);
    return hit && hit.expiresAt > this.now() ? (hit.value as T) : undefined;
  }

  set(key: string, value: unknown, ttlSeconds: number) {
    this.map.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    if (this.map.size > LOCAL_MAX_ENTRIES) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }

  clear() {
    this.map.clear();
  }
}

/**
 * What the last read of an entry with related entries saw (see `Cache.readWith`): the versions and the
 * related keys. The next read bets that nothing changed and reads the versions and those keys in one
 * MGET; if the versions moved, it falls back to the two-step path. Bounded like the local copies.
 */
export interface Hint {
  global: number;
  versions: number[];
  related: string[];
}

export class Hints {
  private readonly map = new Map<string, Hint>();

  get(id: string): Hint | undefined {
    return this.map.get(id);
  }

  set(id: string, hint: Hint) {
    this.map.delete(id);
    this.map.set(id, hint);
    if (this.map.size > LOCAL_MAX_ENTRIES) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}
