import { Redis as IORedis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/env";
import { seedDatabase } from "@/server/seed/seed";
import { searchSailingsInput } from "@/server/features/search/input";
import { searchSailings } from "@/server/features/search/sailings";
import { createTestCache, type TestCache } from "../helpers/cache";
import { createTestDb, type TestDb } from "../helpers/db";
import { clockAt, testServices } from "../helpers/services";

/**
 * What the cache leaves in Redis: entries with the default TTLs (schedule and fares 300 s, availability
 * 60 s), read back from Redis itself rather than from the cache's own settings; and, on a shared Redis,
 * each test cache confined to its own key prefix.
 */
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today: "2027-01-04", days: 14, devAdmin: null });
});
afterAll(() => t.destroy());

const search = (tc: TestCache, date = "2027-01-06") =>
  searchSailings(
    testServices({ db: t.db, cache: tc.cache, clock: clockAt(new Date("2027-01-04T06:00:00Z")) }),
    searchSailingsInput.parse({ from: "TUN", to: "MRS", date, passengers: { adults: 1 } }),
  );

describe("cache entries in Redis", () => {
  it("schedule entries live 300 s and availability entries 60 s by default", async () => {
    const tc = await createTestCache();
    try {
      const { sailings } = await search(tc);
      expect(sailings.length).toBeGreaterThan(0);
      const schedule = await tc.keys("sched:*");
      const availability = await tc.keys("avail:*");
      // A fresh Redis gets a fresh global version (an epoch, `newEpoch` in cache.ts) embedded in every key.
      const global = (await tc.cache.versions([]))!.global;
      expect(global).toBeGreaterThan(0);
      expect(schedule).toEqual([`sched:${global}:TUN-MRS:0:2027-01-06`]);
      expect(availability).toEqual(sailings.map((s) => `avail:${global}:${s.id}`).sort());
      // Milliseconds left, read just after the write: a little under the TTL, never above it.
      for (const key of schedule) {
        const ms = await tc.redis.pttl(key);
        expect(ms, key).toBeLessThanOrEqual(300_000);
        expect(ms, key).toBeGreaterThan(290_000);
      }
      for (const key of availability) {
        const ms = await tc.redis.pttl(key);
        expect(ms, key).toBeLessThanOrEqual(60_000);
        expect(ms, key).toBeGreaterThan(50_000);
      }
    } finally {
      await tc.close();
    }
  });

  it("two test caches on one Redis never see each other's keys, and closing one removes only its keys", async (ctx) => {
    const a = await createTestCache();
    const b = await createTestCache();
    try {
      if (a.emulator.backend !== "redis") ctx.skip(); // private in-memory emulators: nothing is shared
      await search(a);
      expect((await a.keys("avail:*")).length).toBeGreaterThan(0);
      expect(await b.keys("*")).toEqual([]);
      // In Redis itself, every key of `a` sits under its prefix.
      const direct = new IORedis(env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await direct.connect();
        const mine = await direct.keys(`${a.keyPrefix}*`);
        expect(mine.sort()).toEqual((await a.keys("*")).map((k) => `${a.keyPrefix}${k}`).sort());
        await search(b, "2027-01-08");
        const theirs = (await b.keys("*")).length;
        expect(theirs).toBeGreaterThan(0);
        await a.close();
        expect(await direct.keys(`${a.keyPrefix}*`)).toEqual([]);
        expect(await b.keys("*")).toHaveLength(theirs);
      } finally {
        direct.disconnect();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
