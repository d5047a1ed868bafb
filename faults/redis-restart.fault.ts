import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoad } from "./lib/load";
import { pollUntil, sleep } from "./lib/proc";
import { record, timer } from "./lib/report";
import { type FaultStack, startFaultStack } from "./lib/stack";
import { type SearchInput, searchInputs, trpcGet } from "./lib/traverse";

/**
 * Issue 8 · fault 2: Redis (behind the Upstash emulator) is stopped and started again while travellers
 * search. Redis only caches what is displayed (DESIGN §1), so no search may fail: every response is a 200,
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

    const load = startLoad({
      concurrency: 6,
      durationMs: 40_000,
      maxRequests: 20_000,
      requestTimeoutMs: 5_000,
      thinkMs: 10,
      request: async (i, signal) => {
        const r = await trpcGet(stack.appUrl, "search.sailings", inputs[i % inputs.length], signal);
        return { status: r.status, detail: r.message ?? r.raw };
      },
    });
    try {
      await sleep(4_000);
      const down = timer();
      await stack.redis.stop();
      const disabled = await pollUntil(cacheState, (s) => s === "disabled", {
        timeoutMs: 15_000,
        intervalMs: 100,
      });
      record(SCENARIO, "redis stopped", {
        cacheDisabledAfterMs: disabled.ms,
        requestsSoFar: load.outcomes.length,
      });
      expect(disabled.value, "health must report the cache disabled while Redis is down").toBe("disabled");

      await sleep(6_000);
      const duringOutage = load.outcomes.filter((o) => o.at > Date.now() - 6_000).length;
      await stack.startRedis();
      const up = timer();
      const enabled = await pollUntil(cacheState, (s) => s === "ok", { timeoutMs: 30_000, intervalMs: 200 });
      record(SCENARIO, "redis restarted", {
        outageMs: down(),
        searchesDuringOutage: duringOutage,
        cacheOkAfterMs: enabled.ms,
        upMs: up(),
      });
      expect(enabled.value, "health must report the cache ok again once Redis is back").toBe("ok");
      await sleep(4_000);
    } finally {
      load.stop();
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

    // The restarted Redis is empty (no persistence): cache entries written after the restart prove the
    // app uses it again rather than only reporting it healthy.
    const redis = new Redis(stack.redisPort, "127.0.0.1", {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    try {
      await redis.connect();
      expect(await redis.dbsize(), "nothing was cached after Redis came back").toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
