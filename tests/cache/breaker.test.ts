import { afterEach, describe, expect, it } from "vitest";
import { createDeadCache, createTestCache, type TestCache } from "../helpers/cache";
import { waitUntil } from "../helpers/poll";

/**
 * The cache's circuit breaker, on a clock the test moves: a refused Redis opens it at once, timeouts only
 * after three in a row, nothing is sent while it is open, exactly one request probes once the cooldown is
 * over, and a probe that answers closes it (forgetting process-local copies, which may name versions of a
 * Redis that came back empty).
 */
const COOLDOWN = 10_000;
let clock = 1_000_000;
const now = () => clock;
let tc: TestCache | undefined;

afterEach(async () => {
  tc?.emulator.hang(false);
  await tc?.close();
  tc = undefined;
});

/** A cache on a private Upstash emulator, short Redis timeouts, the test's clock. */
async function open(): Promise<TestCache> {
  clock = 1_000_000;
  tc = await createTestCache({ timeoutMs: 400, breakerCooldownMs: COOLDOWN, now });
  return tc;
}

describe("cache circuit breaker", () => {
  it("a refused connection opens it at once, for exactly the cooldown", async () => {
    clock = 5_000_000;
    const cache = createDeadCache({ breakerCooldownMs: COOLDOWN, now, timeoutMs: 300 });
    expect(cache.enabled).toBe(true);
    expect(cache.lastFailure).toBeNull();
    expect(await cache.versions([])).toBeUndefined();
    expect(cache.enabled).toBe(false);
    expect(cache.lastFailure).toBeTruthy();
    // Statistics still answer, empty, while Redis is down.
    expect(await cache.stats()).toMatchObject({
      enabled: false,
      hits: 0,
      misses: 0,
      hitRate: null,
      series: [],
    });
    // Open: the loader answers and nothing is tried.
    let loads = 0;
    expect(await cache.getOrLoad("schedule", "k", async () => ++loads)).toBe(1);
    expect(await cache.ping()).toBe("disabled");
    clock += COOLDOWN - 1;
    expect(cache.enabled).toBe(false);
    clock += 1;
    expect(cache.enabled).toBe(true);
    // The probe fails too: open again for a full cooldown from now.
    expect(await cache.ping()).toBe("disabled");
    expect(cache.enabled).toBe(false);
    clock += COOLDOWN - 1;
    expect(cache.enabled).toBe(false);
  });

  it("timeouts open it only on the third in a row; an answer in between starts the count again", async () => {
    const { cache, emulator } = await open();
    expect((await cache.versions([]))!.global).toBe(clock);
    emulator.hang(true);
    expect(await cache.versions([])).toBeUndefined();
    expect(await cache.versions([])).toBeUndefined();
    expect(cache.enabled).toBe(true);
    expect(cache.lastFailure).toMatch(/timeout|abort/i);
    emulator.hang(false);
    expect(await cache.versions([])).toBeDefined();
    emulator.hang(true);
    expect(await cache.versions([])).toBeUndefined();
    expect(await cache.versions([])).toBeUndefined();
    expect(cache.enabled).toBe(true);
    expect(await cache.versions([])).toBeUndefined();
    expect(cache.enabled).toBe(false);
    // While open, not one request reaches Redis.
    const sent = emulator.requests();
    expect(await cache.versions(["A-B"])).toBeUndefined();
    expect(await cache.getOrLoad("availability", "x", async () => 7)).toBe(7);
    await cache.invalidateRoute("A", "B");
    expect(await cache.ping()).toBe("disabled");
    expect(emulator.requests()).toBe(sent);
  });

  it("after the cooldown one request probes while the others skip; its timeout reopens at once", async () => {
    const { cache, emulator } = await open();
    await cache.versions([]);
    emulator.hang(true);
    for (let i = 0; i < 3; i++) await cache.versions([]);
    expect(cache.enabled).toBe(false);
    clock += COOLDOWN;
    expect(cache.enabled).toBe(true);
    const sent = emulator.requests();
    const probe = cache.versions([]);
    await waitUntil(() => emulator.requests() === sent + 1, { what: "the probe to reach the emulator" });
    // The others answer at once, without a request, while the probe is still waiting.
    expect(await cache.versions([])).toBeUndefined();
    expect(await cache.getOrLoad("availability", "y", async () => 3)).toBe(3);
    expect(emulator.requests()).toBe(sent + 1);
    expect(await probe).toBeUndefined();
    // One timeout in the half-open state is enough.
    expect(cache.enabled).toBe(false);
    clock += COOLDOWN - 1;
    expect(cache.enabled).toBe(false);
    // The next cooldown ends with a new probe: the failed one did not leave the door shut.
    emulator.hang(false);
    clock += 1;
    expect(await cache.ping()).toBe("ok");
    expect(cache.enabled).toBe(true);
  });

  it("a probe that answers closes it, clears the failure, and local copies from before are forgotten", async () => {
    const { cache, emulator } = await open();
    const global = (await cache.versions([]))!.global;
    const key = `sched:${global}:A-B:0:2027-01-06`;
    expect(await cache.getOrLoad("schedule", key, async () => ({ v: 1 }))).toEqual({ v: 1 });
    expect(localCopy(cache, key)).toEqual({ v: 1 });
    emulator.hang(true);
    for (let i = 0; i < 3; i++) await cache.versions([]);
    expect(cache.enabled).toBe(false);
    emulator.hang(false);
    clock += COOLDOWN;
    expect(await cache.ping()).toBe("ok");
    expect(cache.enabled).toBe(true);
    expect(cache.lastFailure).toBeNull();
    expect(localCopy(cache, key)).toBeUndefined();
    // Closed for good: the next failures count from zero again.
    emulator.hang(true);
    await cache.versions([]);
    expect(cache.enabled).toBe(true);
  });

  it("without Redis nothing is cached and ping says disabled", async () => {
    const { Cache } = await import("@/server/features/cache/cache");
    const cache = new Cache(null);
    expect(cache.enabled).toBe(false);
    expect(await cache.ping()).toBe("disabled");
    let loads = 0;
    await cache.getOrLoad("schedule", "k", async () => ++loads);
    expect(await cache.getOrLoad("schedule", "k", async () => ++loads)).toBe(2);
    expect(await cache.versions([])).toBeUndefined();
  });
});

/** The process-local copy the cache keeps of an immutable entry (a private field: no public reader exists). */
function localCopy(cache: object, key: string): unknown {
  return (cache as { local: { get(key: string): unknown } }).local.get(key);
}
