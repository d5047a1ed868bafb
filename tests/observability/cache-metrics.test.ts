import type { Redis } from "@upstash/redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Cache } from "@/server/features/cache/cache";
import { refreshStateGauges } from "@/server/features/observability/scrape";
import { createTestDb, type TestDb } from "../helpers/db";
import { testServices } from "../helpers/services";
import { metricValue } from "./prom-text";

// Redis failing: the read that met the failure is an "error", reads while the breaker is open are
// "disabled", and traverse_cache_breaker_open reads 1 until Redis answers again.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 2 });
});
afterAll(() => t.destroy());

it("counts error and disabled reads, and reports the open breaker", async () => {
  let down = true;
  const refused = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { name: "Error" }));
  // Only the calls this scenario makes; anything else would throw a TypeError and fail the test.
  const redis = {
    get: () => (down ? refused() : Promise.resolve(null)),
    set: () => (down ? refused() : Promise.resolve("OK")),
    del: () => (down ? refused() : Promise.resolve(1)),
  } as unknown as Redis;
  let now = 1_000_000;
  const cache = new Cache(redis, { breakerCooldownMs: 5_000, now: () => now });
  const svc = testServices({ db: t.db, cache });
  const read = (result: string) =>
    metricValue("traverse_cache_requests_total", { cache: "availability", result });
  const gauge = async () => {
    await refreshStateGauges(svc);
    return metricValue("traverse_cache_breaker_open");
  };
  const [errors, disabled] = [await read("error"), await read("disabled")];
  expect(await gauge()).toBe(0);

  expect(await cache.getOrLoad("availability", "avail:1:1", async () => 7)).toBe(7);
  expect(await read("error")).toBe(errors + 1);
  expect(await gauge()).toBe(1);
  expect(await cache.getOrLoad("availability", "avail:1:2", async () => 8)).toBe(8);
  expect(await read("disabled")).toBe(disabled + 1);

  // The cooldown passes and Redis is back: the next read probes it and closes the breaker.
  down = false;
  now += 6_000;
  expect(await cache.getOrLoad("availability", "avail:1:3", async () => 9)).toBe(9);
  expect(await gauge()).toBe(0);
});
