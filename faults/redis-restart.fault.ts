import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoad } from "./lib/load";
import { pollUntil } from "./lib/proc";
import { record, timer } from "./lib/report";
import { type FaultStack, startFaultStack } from "./lib/stack";
import { type SearchInput, searchInputs, trpcGet } from "./lib/traverse";

/**
 * Redis (behind the Upstash emulator) is stopped and started again while travellers
 * search. Redis only caches what is displayed (features/cache/cache.ts), so no search may fail: every response is a 200,
 * /api/health reports the cache `disabled` while Redis is down and `ok` again once it is back, and the
 * cache is written to again afterwards.
 */
const SCENARIO = "redis-restart";

describe("Redis stopped and restarted during search load", () => {
  let stack: FaultStack;
  let inputs: SearchInput[];

  beforeAll(async () => {
    const t = timer();
    stack = await startFaultStack(SCENARIO);
    inputs = await searchInputs(stack.sql);
    record(SCENARIO, "stack up", { ms: t() });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("answers every search with 200 and re-enables the cache", async () => {
    const cacheState = async () => (await stack.health()).body?.cache ?? "unreachable";
    expect(await cacheState()).toBe("ok");
    const redis = new Redis(stack.redisPort, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 1 });
    // Cached search results only (schedule and availability entries), not the hit/miss statistics or
    // route versions that any request writes: those would prove nothing about caching.
    const entries = async () => {
      if (redis.status !== "ready") await redis.connect();
      const keys = await Promise.all(["sched:*", "avail:*"].map((p) => scanAll(redis, p)));
      return { schedule: keys[0]!.length, availability: keys[1]!.length };
    };
    const cached = (e: { schedule: number; availability: number }) => e.schedule > 0 && e.availability > 0;

    const load = startLoad({
      concurrency: 6,
      durationMs: 90_000,
      maxRequests: 20_000,
      requestTimeoutMs: 5_000,
      thinkMs: 10,
      request: async (i, signal) => {
        const r = await trpcGet(stack.appUrl, "search.sailings", inputs[i % inputs.length], signal);
        return { status: r.status, detail: r.message ?? r.raw };
      },
    });
    try {
      // The same count that must be non-zero after the restart, seen non-zero before it: the control.
      const warm = await pollUntil(entries, cached, {
        what: "search results cached in Redis before the outage",
        timeoutMs: 15_000,
        intervalMs: 200,
      });
      record(SCENARIO, "cache warm", { ...warm.value, ms: warm.ms });
      redis.disconnect();
      const down = timer();
      await stack.redis.stop();
      const stoppedAt = Date.now();
      const disabled = await pollUntil(cacheState, (s) => s === "disabled", {
        what: "/api/health to report the cache disabled while Redis is down",
        timeoutMs: 15_000,
        intervalMs: 100,
      });
      record(SCENARIO, "redis stopped", {
        cacheDisabledAfterMs: disabled.ms,
        requestsSoFar: load.outcomes.length,
      });

      // Searches must keep coming back while Redis is down, not just one or two before it was noticed.
      const outage = await pollUntil(
        () => load.outcomes.filter((o) => o.at > stoppedAt + disabled.ms).length,
        (n) => n >= 100,
        { what: "100 searches answered while the cache is disabled", timeoutMs: 30_000, intervalMs: 200 },
      );
      await stack.startRedis();
      const up = timer();
      const enabled = await pollUntil(cacheState, (s) => s === "ok", {
        what: "/api/health to report the cache ok again once Redis is back",
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      record(SCENARIO, "redis restarted", {
        outageMs: down(),
        searchesDuringOutage: outage.value,
        cacheOkAfterMs: enabled.ms,
        upMs: up(),
      });
      // The restarted Redis is empty (no persistence): entries written now prove the app caches again
      // rather than only reporting Redis healthy.
      const rewarm = await pollUntil(entries, cached, {
        what: "search results cached again after Redis came back",
        timeoutMs: 15_000,
        intervalMs: 200,
      });
      record(SCENARIO, "cache warm again", { ...rewarm.value, ms: rewarm.ms });
    } finally {
      load.stop();
      redis.disconnect();
    }
    const result = await load.done;
    const failures = result.outcomes.filter((o) => o.status !== 200);
    record(SCENARIO, "load", {
      requests: result.outcomes.length,
      byStatus: result.byStatus,
      p50: result.p50,
      p95: result.p95,
      max: result.max,
    });
    expect(result.outcomes.length).toBeGreaterThan(100);
    expect(
      failures.slice(0, 3),
      `${failures.length} searches did not answer 200:\n${stack.app.lastLines(10)}`,
    ).toEqual([]);
  });
});

async function scanAll(redis: Redis, match: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", match, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
}
