import { RedisError } from "./backend";

/**
 * The keyspace of the in-memory backend: typed values, expiry, and the bookkeeping SCAN needs.
 * Command semantics (argument parsing, replies) live in memory-commands.ts.
 */

export type Value =
  | { type: "string"; data: string }
  | { type: "hash"; data: Map<string, string> }
  | { type: "set"; data: Set<string> };

export type ValueType = Value["type"];

type DataOf = { [V in Value as V["type"]]: V["data"] };

interface Entry {
  value: Value;
  /** Absolute expiry in ms since the epoch, or null for "no TTL". */
  expiresAt: number | null;
  /**
   * Creation order. SCAN's cursor is "the last seq returned": a key that exists for the whole
   * iteration keeps its seq, so it is returned exactly once even if other keys come and go.
   */
  seq: number;
}

export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

export class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  private nextSeq = 1;

  constructor(readonly now: () => number = Date.now) {}

  /** Lazy expiry: an expired key is removed the moment anything looks at it. */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  has(key: string): boolean {
    return this.live(key) !== undefined;
  }

  type(key: string): ValueType | "none" {
    return this.live(key)?.value.type ?? "none";
  }

  /** The value if it has the wanted type, undefined if missing, WRONGTYPE otherwise. */
  get<T extends ValueType>(key: string, type: T): DataOf[T] | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    if (entry.value.type !== type) throw new RedisError(WRONGTYPE);
    return entry.value.data as DataOf[T];
  }

  /** Like get(), but creates an empty hash/set when missing (HSET, SADD). */
  getOrCreate<T extends "hash" | "set">(key: string, type: T): DataOf[T] {
    const existing = this.get(key, type);
    if (existing !== undefined) return existing;
    const value: Value =
      type === "hash" ? { type: "hash", data: new Map() } : { type: "set", data: new Set() };
    this.entries.set(key, { value, expiresAt: null, seq: this.nextSeq++ });
    return value.data as DataOf[T];
  }

  /**
   * Writes a string. `expiresAt: "keep"` keeps the current TTL (KEEPTTL, INCR, APPEND); any other
   * value replaces it, as a plain SET does in Redis.
   */
  setString(key: string, data: string, expiresAt: number | null | "keep"): void {
    const entry = this.live(key);
    const ttl = expiresAt === "keep" ? (entry?.expiresAt ?? null) : expiresAt;
    if (entry) {
      // Overwriting keeps the seq so an in-flight SCAN neither repeats nor skips this key.
      entry.value = { type: "string", data };
      entry.expiresAt = ttl;
    } else {
      this.entries.set(key, { value: { type: "string", data }, expiresAt: ttl, seq: this.nextSeq++ });
    }
  }

  delete(key: string): boolean {
    return this.live(key) !== undefined && this.entries.delete(key);
  }

  /** Redis removes a hash/set when its last member goes; call after removing members. */
  deleteIfEmpty(key: string): void {
    const entry = this.entries.get(key);
    if (entry && entry.value.type !== "string" && entry.value.data.size === 0) this.entries.delete(key);
  }

  expiresAt(key: string): number | null | undefined {
    return this.live(key)?.expiresAt;
  }

  setExpiresAt(key: string, expiresAt: number | null): boolean {
    const entry = this.live(key);
    if (!entry) return false;
    entry.expiresAt = expiresAt;
    // A deadline in the past deletes at once, as EXPIRE with a negative TTL does in Redis.
    this.live(key);
    return true;
  }

  size(): number {
    this.sweep();
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  /** All live keys, for KEYS. */
  keys(): string[] {
    this.sweep();
    return [...this.entries.keys()];
  }

  /**
   * One SCAN step: examines up to `count` keys created after `cursor` (in creation order) and
   * returns those accepted by `accept`, plus the next cursor (0 when the iteration is complete).
   */
  scan(cursor: number, count: number, accept: (key: string, type: ValueType) => boolean): [number, string[]] {
    const now = this.now();
    const found: string[] = [];
    let examined = 0;
    let last = 0;
    for (const [key, entry] of this.entries) {
      if (entry.seq <= cursor) continue;
      if (examined === count) return [last, found];
      examined++;
      last = entry.seq;
      if (entry.expiresAt !== null && entry.expiresAt <= now) continue;
      if (accept(key, entry.value.type)) found.push(key);
    }
    return [0, found];
  }

  /** Active expiry: drops every expired key. Called periodically so memory does not grow forever. */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
