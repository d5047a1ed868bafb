import { afterEach, describe, expect, it } from "vitest";
import { Cache, type LoadContext, type RelatedRead } from "@/server/features/cache/cache";
import { createTestCache, type TestCache } from "../helpers/cache";

/**
 * `Cache.readWith` on its own: an entry (a day's schedule) and the related entries read right after it
 * (its sailings' availability), which its loader may learn on the way and prime. Each test names exactly
 * what was loaded (the counters' journal), so a read that should have been a hit, or a related entry
 * loaded twice, fails here.
 */
let tc: TestCache | undefined;
afterEach(async () => {
  await tc?.close();
  tc = undefined;
});

type Day = { refs: string[] };
const DAY_KEY = "2027-01-06";
const VERSION = "A-B";

/** A day of three sailings; the loader learns (primes) the availability of `primes` of them. */
function world(primes: string[] = ["s1", "s2"]) {
  const seen = { loader: 0, related: [] as string[], many: [] as string[][] };
  const values: Record<string, { left: number }> = { s1: { left: 1 }, s2: { left: 2 }, s3: { left: 3 } };
  const loader = async (ctx: LoadContext): Promise<Day> => {
    seen.loader++;
    for (const r of primes) ctx.prime("availability", r, values[r]);
    // A primed entry of another kind never answers an availability key.
    ctx.prime("operator-sailing", "s3", { left: -1 });
    return { refs: ["s1", "s2", "s3"] };
  };
  const related: RelatedRead<Day, { left: number }> = {
    kind: "availability",
    keysOf: (d) => d.refs,
    load: async (k) => {
      seen.related.push(k);
      return values[k]!;
    },
  };
  const read = (cache: Cache, rel = related) =>
    cache.readWith(DAY_KEY, loader, { kind: "schedule", versions: [VERSION] }, rel);
  return { seen, values, related, read };
}
const loadsOf = (cache: Cache, run: () => Promise<unknown>) => {
  const mark = cache.counters.mark();
  return run().then(() => cache.counters.loadsSince(mark));
};
const ALL = [{ left: 1 }, { left: 2 }, { left: 3 }];

describe("readWith with Redis off", () => {
  it("answers primed related keys from the loader and loads only the others, once each", async () => {
    const cache = new Cache(null);
    const w = world();
    let out: Awaited<ReturnType<typeof w.read>> | undefined;
    const loads = await loadsOf(cache, async () => {
      out = await w.read(cache);
    });
    expect(out).toEqual({ value: { refs: ["s1", "s2", "s3"] }, related: ALL });
    expect(w.seen.loader).toBe(1);
    expect(w.seen.related).toEqual(["s3"]);
    expect(loads).toEqual([`schedule:${VERSION}:${DAY_KEY}`, "availability:s3"]);
    // Nothing is kept: the next read asks again.
    await w.read(cache);
    expect(w.seen.loader).toBe(2);
  });

  it("hands loadMany only the keys the loader did not prime, and skips it when there are none", async () => {
    const cache = new Cache(null);
    const w = world();
    const many = {
      ...w.related,
      loadMany: async (keys: string[]) => {
        w.seen.many.push(keys);
        return keys.map((k) => w.values[k]!);
      },
    };
    const loads = await loadsOf(cache, async () => {
      expect((await w.read(cache, many)).related).toEqual(ALL);
    });
    expect(w.seen.many).toEqual([["s3"]]);
    expect(loads).toEqual([`schedule:${VERSION}:${DAY_KEY}`, "availability:s3"]);
    const all = world(["s1", "s2", "s3"]);
    const none = {
      ...many,
      loadMany: async (keys: string[]) => {
        all.seen.many.push(keys);
        return [];
      },
    };
    expect((await all.read(cache, none)).related).toEqual(ALL);
    expect(all.seen.many).toEqual([]);
    expect(all.seen.related).toEqual([]);
  });
});

describe("readWith with Redis", () => {
  it("stores what the loader primed under the related kind's TTL and reads the rest through", async () => {
    tc = await createTestCache({ ttlSeconds: { availability: 45, schedule: 200 } });
    const { cache } = tc;
    const w = world();
    const loads = await loadsOf(cache, async () => {
      expect((await w.read(cache)).related).toEqual(ALL);
    });
    expect(loads).toEqual([`schedule:${VERSION}:${DAY_KEY}`, "availability:s3"]);
    const [avail] = await tc.keys("avail:*:s1");
    expect(await tc.redis.get(avail!)).toEqual({ left: 1 });
    const ttl = await tc.redis.pttl(avail!);
    expect(ttl).toBeGreaterThan(40_000);
    expect(ttl).toBeLessThanOrEqual(45_000);
    expect(await tc.keys("avail:*:s3")).toHaveLength(1);
    // The other kind's primed value is stored as that kind, never as availability.
    expect(await tc.redis.get((await tc.keys("osail:*:s3"))[0]!)).toEqual({ left: -1 });
    const [day] = await tc.keys(`sched:*:${VERSION}:*:${DAY_KEY}`);
    expect(await tc.redis.get(day!)).toEqual({ refs: ["s1", "s2", "s3"] });
    expect(await tc.redis.pttl(day!)).toBeGreaterThan(195_000);
  });

  it("a second read loads nothing, and a related value changed in Redis is what it returns", async () => {
    tc = await createTestCache();
    const { cache } = tc;
    const w = world();
    await w.read(cache);
    const hitsBefore = cache.counters.snapshot().byKind;
    await tc.redis.set((await tc.keys("avail:*:s2"))[0]!, { left: 20 });
    let related: unknown;
    const loads = await loadsOf(cache, async () => {
      related = (await w.read(cache)).related;
    });
    expect(loads).toEqual([]);
    expect(related).toEqual([{ left: 1 }, { left: 20 }, { left: 3 }]);
    const hits = cache.counters.snapshot().byKind;
    expect(hits.schedule.hit - hitsBefore.schedule.hit).toBe(1);
    expect(hits.availability.hit - hitsBefore.availability.hit).toBe(3);
  });

  it("another process reads both from Redis without loading", async () => {
    tc = await createTestCache();
    const w = world();
    await w.read(tc.cache);
    const other = tc.another();
    const loads = await loadsOf(other, async () => {
      expect((await w.read(other)).related).toEqual(ALL);
    });
    expect(loads).toEqual([]);
    expect(w.seen.loader).toBe(1);
  });

  it("an invalidated related entry is loaded again, alone; a version bump reloads the day; clearAll both", async () => {
    tc = await createTestCache();
    const { cache } = tc;
    const w = world();
    await w.read(cache);
    await cache.invalidateEntries("availability", ["s2"]);
    expect(await loadsOf(cache, () => w.read(cache))).toEqual(["availability:s2"]);

    // Availability keys carry only the global version: s3's entry, loaded through, is still current.
    await cache.invalidateVersion(VERSION);
    expect(await loadsOf(cache, () => w.read(cache))).toEqual([`schedule:${VERSION}:${DAY_KEY}`]);
    expect(await loadsOf(cache, () => w.read(cache))).toEqual([]);

    await cache.clearAll();
    expect(await loadsOf(cache, () => w.read(cache))).toEqual([
      `schedule:${VERSION}:${DAY_KEY}`,
      "availability:s3",
    ]);
    expect(await loadsOf(cache, () => w.read(cache))).toEqual([]);
  });

  it("a version of another name leaves the day cached", async () => {
    tc = await createTestCache();
    const { cache } = tc;
    const w = world();
    await w.read(cache);
    await cache.invalidateVersion("C-D");
    expect(await loadsOf(cache, () => w.read(cache))).toEqual([]);
    expect(w.seen.loader).toBe(1);
  });
});
