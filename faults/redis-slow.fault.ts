import { beforeAll, describe, expect, it } from "vitest";
import { upstashControl } from "../tests/support/emulators";
import { type SearchInput, searchInputs } from "../tests/support/fixtures";
import { pollUntil, sleep } from "../tests/support/poll";
import { loadFigures, type Outcome, startLoad, summarise } from "./lib/load";
import { record, scenarioStack } from "./lib/report";
import type { FaultStack } from "./lib/stack";
import { api, detailOf } from "./lib/traverse";

/**
 * Redis answering every command in 2 s (the Upstash emulator's delay mode) while travellers search. The
 * cache gives up on a command after CACHE_TIMEOUT_MS (250 ms) and its circuit breaker opens after a few
 * timeouts in a row, so once it is open search answers from PostgreSQL: its p95 must stay under 3× the
 * p95 of the same load before the fault, every search must answer 200, and once Redis is fast again the
 * breaker must close by itself — shown by searches reaching Redis again, with no health check probing it.
 */
const SCENARIO = "redis-slow";
const DELAY_MS = 2_000;

const requestsSoFar = async (stack: FaultStack) =>
  ((await upstashControl(stack.urls.upstash, "requests")) as { count: number }).count;

describe("Redis answering in 2 s during search load", () => {
  const stackOf = scenarioStack(SCENARIO);
  let inputs: SearchInput[];

  beforeAll(async () => {
    inputs = await searchInputs(stackOf().sql, { limit: 40 });
  });

  it("keeps search under 3× its normal p95 once the breaker opens, and closes the breaker after recovery", async () => {
    const stack = stackOf();
    const client = api(stack);
    const load = startLoad({
      concurrency: 4,
      durationMs: 120_000,
      maxRequests: 100_000,
      requestTimeoutMs: 10_000,
      thinkMs: 10,
      request: async (i, signal) => {
        const r = await client.call("search.sailings", inputs[i % inputs.length], { method: "GET", signal });
        return { status: r.status, detail: detailOf(r) };
      },
    });
    const between = (from: number, to: number): Outcome[] =>
      load.outcomes.filter((o) => o.at >= from && o.at < to);
    try {
      // Warm every key, then measure the normal p95.
      await sleep(5_000);
      const normalFrom = Date.now();
      await sleep(10_000);
      const normal = summarise(between(normalFrom, Date.now()));

      // Redis slows down. While the breaker is open, Upstash sees almost nothing (one probe per cooldown).
      const slowAt = Date.now();
      await upstashControl(stack.urls.upstash, "delay", { ms: DELAY_MS });
      const open = await pollUntil(
        async () => {
          const c0 = await requestsSoFar(stack);
          await sleep(1_000);
          return (await requestsSoFar(stack)) - c0;
        },
        (perSecond) => perSecond <= 1,
        { what: "the breaker to open (at most 1 Redis request a second)", timeoutMs: 20_000, intervalMs: 0 },
      );
      expect(open.value).toBeLessThanOrEqual(1);
      const openedAfterMs = Date.now() - slowAt;
      const slowFrom = Date.now();
      await sleep(15_000);
      const slow = summarise(between(slowFrom, Date.now()));
      record(SCENARIO, "slow Redis", {
        openedAfterMs,
        normal: { n: normal.outcomes.length, p50: normal.p50, p95: normal.p95 },
        breakerOpen: { n: slow.outcomes.length, p50: slow.p50, p95: slow.p95, max: slow.max },
        transition: summarise(between(slowAt, slowFrom)).p95,
      });
      expect(slow.outcomes.length).toBeGreaterThan(100);
      expect(slow.p95, `normal p95 ${normal.p95} ms`).toBeLessThan(3 * normal.p95);

      // Redis is fast again: within a cooldown (5 s) a probe succeeds and searches use Redis again.
      await upstashControl(stack.urls.upstash, "delay", { ms: 0 });
      const fixedAt = Date.now();
      const closed = await pollUntil(
        async () => {
          const c0 = await requestsSoFar(stack);
          const s0 = load.outcomes.length;
          await sleep(1_000);
          return { redis: (await requestsSoFar(stack)) - c0, searches: load.outcomes.length - s0 };
        },
        (w) => w.searches > 0 && w.redis >= w.searches / 2,
        { what: "searches to reach Redis again (breaker closed)", timeoutMs: 20_000, intervalMs: 0 },
      );
      record(SCENARIO, "Redis fast again", {
        breakerClosedWithinMs: Date.now() - fixedAt,
        lastSecond: closed.value,
      });
      expect(closed.value.redis).toBeGreaterThanOrEqual(closed.value.searches / 2);
      expect((await stack.health()).body?.cache).toBe("ok");
      await sleep(3_000);
    } finally {
      load.stop();
    }
    const result = await load.done;
    const failures = result.outcomes.filter((o) => o.status !== 200);
    record(SCENARIO, "load", loadFigures(result, ["p95", "max"]));
    expect(failures.slice(0, 3), `${failures.length} searches did not answer 200`).toEqual([]);
  });
});
