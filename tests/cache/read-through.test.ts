import { afterEach, describe, expect, it } from "vitest";
import { availabilityKey, type CacheOptions, routeKey } from "@/server/features/cache/cache";
import { createTestCache, type TestCache } from "../helpers/cache";
import { waitUntil } from "../helpers/poll";

/**
 * The Cache class on its own, against the Upstash emulator: what each method writes to Redis and reads
 * back, the stampede lock, process-local copies of versioned entries, versions and statistics.
 */
let tc: TestCache | undefined;
afterEach(async () => {
  await tc?.close();
  tc = undefined;
});
async function open(opts: CacheOptions = {}): Promise<TestCache> {
  tc = await createTestCache(opts);
  return tc;
}
/** A loader that counts its calls. */
function counting<T>(value: T) {
  const f = async () => {
    f.calls++;
    return value;
  };
  f.calls = 0;
  return f;
}

describe("getOrLoad", () => {
  it("loads once, stores with the kind's TTL, answers later reads from Redis and drops its lock", async () => {
    const { cache, redis } = await open({ ttlSeconds: { availability: 45 } });
    const load = counting({ left: 3 });
    expect(await cache.getOrLoad("availability", "avail:1:9", load)).toEqual({ left: 3 });
    expect(await cache.getOrLoad("availability", "avail:1:9", load)).toEqual({ left: 3 });
    expect(load.calls).toBe(1);
    expect(await redis.get("avail:1:9")).toEqual({ left: 3 });
    const ms = await redis.pttl("avail:1:9");
    expect(ms).toBeLessThanOrEqual(45_000);
    expect(ms).toBeGreaterThan(40_000);
    expect(await redis.exists("lock:avail:1:9")).toBe(0);
    expect(cache.ttlFor("availability")).toBe(45);
    expect(cache.ttlFor("schedule")).toBe(300);
    expect(cache.ttlFor("calendar")).toBe(300);
  });

  it("a value changed in Redis behind its back is what the next availability read returns", async () => {
    const { cache, redis } = await open();
    await cache.getOrLoad("availability", "avail:1:1", async () => 1);
    await redis.set("avail:1:1", 2);
    expect(await cache.getOrLoad("availability", "avail:1:1", async () => 3)).toBe(2);
  });

  it("keeps schedule entries in the process until their TTL, counted as hits", async () => {
    let clock = 50_000_000;
    const { cache, redis } = await open({ now: () => clock, ttlSeconds: { schedule: 100 } });
    await cache.getOrLoad("schedule", "sched:1:A-B", async () => "first");
    await redis.set("sched:1:A-B", "changed in Redis");
    // Local copy: Redis is not asked.
    expect(await cache.getOrLoad("schedule", "sched:1:A-B", async () => "never")).toBe("first");
    expect(localCopy(cache, "sched:1:A-B")).toBe("first");
    expect(localCopy(cache, "sched:1:other")).toBeUndefined();
    clock += 99_999;
    expect(localCopy(cache, "sched:1:A-B")).toBe("first");
    clock += 1;
    expect(localCopy(cache, "sched:1:A-B")).toBeUndefined();
    expect(await cache.getOrLoad("schedule", "sched:1:A-B", async () => "never")).toBe("changed in Redis");
    // A copy read from Redis is kept too.
    await redis.set("sched:1:A-B", "changed again");
    expect(localCopy(cache, "sched:1:A-B")).toBe("changed in Redis");
    const stats = await cache.stats();
    expect(stats.byKind.schedule).toEqual({ hits: 2, misses: 1 });
  });

  it("never keeps availability in the process", async () => {
    const { cache, redis } = await open();
    await cache.getOrLoad("availability", "avail:1:5", async () => 5);
    expect(localCopy(cache, "avail:1:5")).toBeUndefined();
    await redis.del("avail:1:5");
    const load = counting(6);
    expect(await cache.getOrLoad("availability", "avail:1:5", load)).toBe(6);
    expect(load.calls).toBe(1);
  });

  it("forgets the oldest local copy past 2,000 entries", async () => {
    const { cache } = await open();
    await Promise.all(
      Array.from({ length: 2_001 }, (_, i) => cache.getOrLoad("calendar", `cal:${i}`, async () => i)),
    );
    expect(localCopy(cache, "cal:0")).toBeUndefined();
    expect(localCopy(cache, "cal:1")).toBe(1);
    expect(localCopy(cache, "cal:2000")).toBe(2000);
  });

  it("concurrent callers in one process share one load and count the rest as hits", async () => {
    const { cache } = await open();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const loader = async () => {
      calls++;
      await gate;
      return "v";
    };
    const all = Array.from({ length: 5 }, () => cache.getOrLoad("availability", "avail:1:7", loader));
    release();
    expect(await Promise.all(all)).toEqual(["v", "v", "v", "v", "v"]);
    expect(calls).toBe(1);
    expect((await cache.stats()).byKind.availability).toEqual({ hits: 4, misses: 1 });
  });

  it("waits for another process's load while its lock is held, and loads itself when the lock runs out", async () => {
    const { cache, redis } = await open({ lockMs: 1_500 });
    await redis.set("lock:avail:1:8", "someone-else", { px: 60_000 });
    const load = counting("mine");
    const waiting = cache.getOrLoad("availability", "avail:1:8", load);
    await waitUntil(async () => (await cache.stats()).misses === 1, { what: "the miss to be counted" });
    await redis.set("avail:1:8", "theirs");
    expect(await waiting).toBe("theirs");
    expect(load.calls).toBe(0);
    // Nobody ever writes it: after lockMs the waiter loads on its own, without writing over the lock.
    const started = Date.now();
    expect(await cache.getOrLoad("availability", "avail:1:9", load)).toBe("mine");
    expect(load.calls).toBe(1);
    await redis.set("lock:avail:1:10", "someone-else", { px: 60_000 });
    expect(await cache.getOrLoad("availability", "avail:1:10", load)).toBe("mine");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(load.calls).toBe(2);
    expect(await redis.get("lock:avail:1:10")).toBe("someone-else");
  });

  it("releases its lock when the loader throws", async () => {
    const { cache, redis } = await open();
    await expect(
      cache.getOrLoad("availability", "avail:1:11", async () => {
        throw new Error("postgres down");
      }),
    ).rejects.toThrow("postgres down");
    expect(await redis.exists("lock:avail:1:11")).toBe(0);
    expect(await cache.getOrLoad("availability", "avail:1:11", async () => "after")).toBe("after");
  });
});

describe("a failed load shared with its waiters (shareFailure)", () => {
  const share = (reason: string | undefined, ms = 800) => ({ shareFailure: { reason: () => reason, ms } });

  it("the waiter in another process gets the failure instead of loading, until the mark ends", async () => {
    const { cache, redis } = await open();
    const other = tc!.another();
    let fail!: () => void;
    const gate = new Promise<void>((r) => {
      fail = r;
    });
    const first = cache.getOrLoad(
      "availability",
      "avail:1:12",
      async () => {
        await gate;
        throw new Error("operator answered 503");
      },
      false,
      share("unavailable"),
    );
    first.catch(() => {});
    await waitUntil(async () => (await redis.exists("lock:avail:1:12")) === 1, { what: "the lock" });
    const load = counting("mine");
    const waiter = other.getOrLoad("availability", "avail:1:12", load, false, share("unavailable"));
    waiter.catch(() => {});
    await waitUntil(async () => (await other.stats()).misses === 1, { what: "the waiter's miss" });
    fail();
    await expect(first).rejects.toThrow("operator answered 503");
    await expect(waiter).rejects.toMatchObject({ name: "CacheLoadFailed", reason: "unavailable" });
    expect(load.calls).toBe(0);
    expect(await redis.get("lock:avail:1:12")).toBe("!failed:unavailable");
    expect(await redis.pttl("lock:avail:1:12")).toBeLessThanOrEqual(800);
    // A request arriving meanwhile gets it too; once the mark has ended, the next one loads.
    await expect(
      other.getOrLoad("availability", "avail:1:12", load, false, share("x")),
    ).rejects.toMatchObject({
      reason: "unavailable",
    });
    await waitUntil(async () => (await redis.exists("lock:avail:1:12")) === 0, { what: "the mark to end" });
    expect(await other.getOrLoad("availability", "avail:1:12", load, false, share("x"))).toBe("mine");
    expect(load.calls).toBe(1);
  });

  it("a failure its reason does not name is not shared: the lock is simply released", async () => {
    const { cache, redis } = await open();
    await expect(
      cache.getOrLoad(
        "availability",
        "avail:1:13",
        async () => {
          throw new Error("a bug");
        },
        false,
        share(undefined),
      ),
    ).rejects.toThrow("a bug");
    expect(await redis.exists("lock:avail:1:13")).toBe(0);
  });
});

describe("versions and invalidation", () => {
  it("starts a fresh Redis at the clock's epoch, agreed by every process, and reads routes as 0", async () => {
    const { cache, another, redis } = await open({ now: () => 7_000_000 });
    const other = another({ now: () => 9_000_000 });
    const v = await versionsWith(cache, ["A-B", "C-D"], ["x", "y"]);
    expect(v).toEqual({ global: 7_000_000, routes: [0, 0], extra: [null, null] });
    expect((await other.versions([]))!.global).toBe(7_000_000);
    await redis.set("y", "why");
    await cache.invalidateRoute("C", "D");
    await cache.invalidateRoute("C", "D");
    expect(await versionsWith(cache, ["A-B", "C-D"], ["x", "y"])).toEqual({
      global: 7_000_000,
      routes: [0, 2],
      extra: [null, "why"],
    });
    expect(routeKey("C", "D")).toBe("C-D");
  });

  it("clearAll bumps the global version by one; on an empty Redis it starts from the epoch", async () => {
    const { cache, redis } = await open({ now: () => 3_000_000 });
    await cache.clearAll();
    expect(await redis.get("v:global")).toBe(3_000_001);
    await cache.clearAll();
    expect((await cache.versions([]))!.global).toBe(3_000_002);
  });

  it("availability invalidation deletes the keys of the current global version only", async () => {
    const { cache, redis, emulator } = await open({ now: () => 4_000_000 });
    const g = (await cache.versions([]))!.global;
    for (const id of [1, 2, 3]) await redis.set(availabilityKey(g, id), id);
    await redis.set(availabilityKey(g - 1, 1), "old");
    await cache.invalidateSailingAvailability([1, 3]);
    expect(await redis.get(availabilityKey(g, 1))).toBeNull();
    expect(await redis.get(availabilityKey(g, 2))).toBe(2);
    expect(await redis.get(availabilityKey(g, 3))).toBeNull();
    expect(await redis.get(availabilityKey(g - 1, 1))).toBe("old");
    await cache.invalidateSailingAvailability(2);
    expect(await redis.get(availabilityKey(g, 2))).toBeNull();
    const sent = emulator.requests();
    await cache.invalidateSailingAvailability([]);
    expect(emulator.requests()).toBe(sent);
    expect(availabilityKey(5, 6)).toBe("avail:5:6");
  });

  it("an availability delete is one request once the global version is known, two after another process cleared all", async () => {
    const { cache, another, redis, emulator } = await open({ now: () => 5_000_000 });
    const requestsFor = async (op: () => Promise<void>) => {
      const before = emulator.requests();
      await op();
      return emulator.requests() - before;
    };
    const g = (await cache.versions([]))!.global;
    await redis.set(availabilityKey(g, 1), 1);
    expect(await requestsFor(() => cache.invalidateSailingAvailability(1))).toBe(1);
    expect(await redis.get(availabilityKey(g, 1))).toBeNull();

    // Another process bumps the global version: a delete under the old one would leave the entry a
    // reader has cached since under the new one.
    await another().clearAll();
    await redis.set(availabilityKey(g + 1, 1), "fresh");
    await redis.set(availabilityKey(g + 1, 2), "other");
    expect(await requestsFor(() => cache.invalidateSailingAvailability(1))).toBe(2);
    expect(await redis.get(availabilityKey(g + 1, 1))).toBeNull();
    expect(await redis.get(availabilityKey(g + 1, 2))).toBe("other");
    expect(await requestsFor(() => cache.invalidateSailingAvailability(2))).toBe(1);
    expect(await redis.get(availabilityKey(g + 1, 2))).toBeNull();
  });
});

/** The connected operators' kinds, which these tests never touch. */
const NO_OPERATOR_TRAFFIC = {
  "operator-schedule": { hits: 0, misses: 0 },
  "operator-availability": { hits: 0, misses: 0 },
  "operator-sailing": { hits: 0, misses: 0 },
};

describe("statistics", () => {
  it("are written once a second by themselves, per minute, kept 25 hours", async () => {
    const minute = 29_000_000;
    const { cache, redis } = await open({ now: () => minute * 60_000 + 5_000 });
    await cache.getOrLoad("availability", "avail:1:1", async () => 1);
    await cache.getOrLoad("availability", "avail:1:1", async () => 1);
    await waitUntil(async () => (await redis.exists(`stats:${minute}`)) === 1, {
      what: "the statistics timer to flush",
      timeoutMs: 5_000,
    });
    expect(await redis.hgetall(`stats:${minute}`)).toEqual({ "availability:miss": 1, "availability:hit": 1 });
    const ttl = await redis.ttl(`stats:${minute}`);
    expect(ttl).toBeLessThanOrEqual(25 * 3600);
    expect(ttl).toBeGreaterThan(25 * 3600 - 60);
  });

  it("sum the last 24 hours per kind and minute, oldest first, ignoring what they do not know", async () => {
    let clock = 30_000_000 * 60_000;
    const { cache, redis } = await open({ now: () => clock });
    const empty = await cache.stats();
    expect(empty).toMatchObject({ enabled: true, hits: 0, misses: 0, hitRate: null, series: [] });
    expect(empty.byKind).toEqual({
      schedule: { hits: 0, misses: 0 },
      availability: { hits: 0, misses: 0 },
      calendar: { hits: 0, misses: 0 },
      ...NO_OPERATOR_TRAFFIC,
    });
    const m = 30_000_000;
    await redis.hset(`stats:${m - 24 * 60}`, { "schedule:hit": 100 }); // 24 h ago: out of the window
    await redis.hset(`stats:${m - 24 * 60 + 1}`, { "schedule:hit": 1, "calendar:miss": 2 });
    await redis.hset(`stats:${m}`, { "availability:hit": 3, "availability:miss": 1, "bogus:hit": 50 });
    const s = await cache.stats();
    expect(s.byKind).toEqual({
      schedule: { hits: 1, misses: 0 },
      availability: { hits: 3, misses: 1 },
      calendar: { hits: 0, misses: 2 },
      ...NO_OPERATOR_TRAFFIC,
    });
    expect(s.hits).toBe(4);
    expect(s.misses).toBe(3);
    expect(s.hitRate).toBeCloseTo(4 / 7);
    expect(s.series).toEqual([
      { minute: new Date((m - 24 * 60 + 1) * 60_000).toISOString(), hits: 1, misses: 2 },
      { minute: new Date(m * 60_000).toISOString(), hits: 3, misses: 1 },
    ]);
    await redis.hset(`stats:${m}`, { "availability:hit": 3, "availability:miss": 2 });
    // As many hits as misses: a rate of one half, not "no traffic".
    expect((await cache.stats()).hitRate).toBeCloseTo(0.5);
    clock += 60_000;
    expect((await cache.stats()).series.at(-1)!.minute).toBe(new Date(m * 60_000).toISOString());
  });
});

/** The process-local copy the cache keeps of an immutable entry (a private field: no public reader exists). */
function localCopy(cache: object, key: string): unknown {
  return (cache as { local: { get(key: string): unknown } }).local.get(key);
}

/** Versions plus extra keys in one MGET: private to the cache (search reads through `read`), tested here. */
function versionsWith(cache: object, routes: string[], extra: string[]): Promise<unknown> {
  const c = cache as { versionsWith(r: string[], e: string[]): Promise<unknown> };
  return c.versionsWith(routes, extra);
}
