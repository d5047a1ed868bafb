import type { Redis } from "@upstash/redis";
import { metrics } from "@/server/lib/metrics";
import { type CacheKind, cacheKinds } from "./keys";

/**
 * The cache's own counters, in one place: hits, misses and loads per kind and per connected operator.
 * In-process totals (and a bounded journal of what was loaded) are what tests and metrics observe; the
 * per-minute hit/miss buckets in Redis are what the admin cache panel shows across processes.
 */

export type Outcome = "hit" | "miss" | "load";

export interface CounterTotals {
  byKind: Record<CacheKind, Record<Outcome, number>>;
  byOperator: Record<string, Record<Outcome, number>>;
}

export interface CacheStats {
  enabled: boolean;
  hits: number;
  misses: number;
  hitRate: number | null;
  byKind: Record<CacheKind, { hits: number; misses: number }>;
  /** Connected operators' entries, per operator code. */
  byOperator: Record<string, { hits: number; misses: number }>;
  /** Per-minute buckets for the last 24 h, oldest first, only minutes with traffic. */
  series: { minute: string; hits: number; misses: number }[];
}

const STATS_BUCKET_TTL = 25 * 3600;
const JOURNAL_MAX = 5_000;

const zero = (): Record<Outcome, number> => ({ hit: 0, miss: 0, load: 0 });

export class CacheCounters {
  private readonly totals: CounterTotals = {
    byKind: Object.fromEntries(cacheKinds.map((k) => [k, zero()])) as CounterTotals["byKind"],
    byOperator: {},
  };
  /** Names of the entries loaded (`journalName`), oldest first; `seq` counts every load ever. */
  private readonly journal: string[] = [];
  private seq = 0;
  private pending = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;
  /** Called for every count (metrics wrap the counters through this one hook). */
  onCount: ((kind: CacheKind, outcome: Outcome, operator: string | undefined) => void) | null = null;

  constructor(
    private readonly now: () => number,
    private readonly flush: (write: (r: Redis) => Promise<void>) => Promise<unknown>,
  ) {}

  /**
   * One read's outcome (`result` "error": Redis failed on it, counted as a miss) or one load. Every read
   * ends here or in `disabled`, so `traverse_cache_requests_total` counts them all.
   */
  count(
    kind: CacheKind,
    outcome: Outcome,
    operator?: string,
    name?: string,
    result: "hit" | "miss" | "error" = outcome === "hit" ? "hit" : "miss",
  ) {
    this.totals.byKind[kind][outcome]++;
    if (operator) {
      const o = this.totals.byOperator[operator] ?? zero();
      this.totals.byOperator[operator] = o;
      o[outcome]++;
    }
    this.onCount?.(kind, outcome, operator);
    if (outcome === "load") {
      this.seq++;
      this.journal.push(name ?? kind);
      if (this.journal.length > JOURNAL_MAX) this.journal.shift();
      return;
    }
    metrics().cacheRequests.inc({ cache: kind, result });
    // Counts are summed in memory and written once a second in one pipeline: statistics never add a
    // round trip to a search, and a busy instance sends one small request per second for them.
    const minute = Math.floor(this.now() / 60_000);
    this.bump(`${minute}|${kind}:${outcome}`);
    if (operator) this.bump(`${minute}|op/${operator}:${outcome}`);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flushStats(), 1_000);
      this.flushTimer.unref?.();
    }
  }

  /** A read while Redis is off (not configured, or the breaker is open): straight to the source. */
  disabled(kind: CacheKind) {
    metrics().cacheRequests.inc({ cache: kind, result: "disabled" });
  }

  private bump(field: string) {
    this.pending.set(field, (this.pending.get(field) ?? 0) + 1);
  }

  /** This process's totals since it started (a copy). */
  snapshot(): CounterTotals {
    return structuredClone(this.totals);
  }

  /** A mark to read the loads after it with `loadsSince`. */
  mark(): number {
    return this.seq;
  }

  /** What was loaded since `mark` (journal names, e.g. `schedule:TUN-MRS:2027-01-06`), oldest first. */
  loadsSince(mark: number): string[] {
    const n = this.seq - mark;
    return n <= 0 ? [] : this.journal.slice(Math.max(0, this.journal.length - n));
  }

  async flushStats(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const counts = this.pending;
    if (counts.size === 0) return;
    this.pending = new Map();
    await this.flush(async (r) => {
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

  /** The last 24 h from the Redis buckets (every process's counts). */
  async stats(
    enabled: boolean,
    read: (op: (r: Redis) => Promise<unknown[]>) => Promise<unknown[] | undefined>,
  ): Promise<CacheStats> {
    await this.flushStats();
    const byKind = Object.fromEntries(
      cacheKinds.map((k) => [k, { hits: 0, misses: 0 }]),
    ) as CacheStats["byKind"];
    const byOperator: CacheStats["byOperator"] = {};
    const series: CacheStats["series"] = [];
    const nowMinute = Math.floor(this.now() / 60_000);
    const minutes = Array.from({ length: 24 * 60 }, (_, i) => nowMinute - 24 * 60 + 1 + i);
    const buckets = (await read(async (r) => {
      const p = r.pipeline();
      for (const m of minutes) p.hgetall(`stats:${m}`);
      return p.exec();
    })) as (Record<string, number | string> | null)[] | undefined;
    buckets?.forEach((b, i) => {
      if (!b) return;
      let hits = 0;
      let misses = 0;
      for (const [field, raw] of Object.entries(b)) {
        const [name, outcome] = field.split(":") as [string, string];
        const n = Number(raw);
        const key = outcome === "hit" ? "hits" : "misses";
        if (name.startsWith("op/")) {
          const code = name.slice(3);
          byOperator[code] ??= { hits: 0, misses: 0 };
          byOperator[code][key] += n;
          continue;
        }
        const kind = byKind[name as CacheKind];
        if (!kind) continue;
        kind[key] += n;
        if (key === "hits") hits += n;
        else misses += n;
      }
      series.push({ minute: new Date((minutes[i] ?? 0) * 60_000).toISOString(), hits, misses });
    });
    const hits = cacheKinds.reduce((s, k) => s + byKind[k].hits, 0);
    const misses = cacheKinds.reduce((s, k) => s + byKind[k].misses, 0);
    return {
      enabled,
      hits,
      misses,
      hitRate: hits + misses === 0 ? null : hits / (hits + misses),
      byKind,
      byOperator,
      series,
    };
  }
}
