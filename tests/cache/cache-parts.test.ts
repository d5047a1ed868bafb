import { describe, expect, it } from "vitest";
import { CacheCounters } from "@/server/features/cache/counters";
import { Hints, LocalCopies } from "@/server/features/cache/local-copies";
import { metrics } from "@/server/lib/metrics";

/**
 * The cache's small parts on their own: the process-local copies and hints (bounded, oldest out, TTL),
 * and the counters (their totals, the loads journal and its bound, the metric each read adds to).
 */
const cacheRequests = async (cache: string, result: string) =>
  (await metrics().cacheRequests.get()).values.find(
    (v) => v.labels.cache === cache && v.labels.result === result,
  )?.value ?? 0;

describe("LocalCopies", () => {
  it("answers until the TTL ends, then not", () => {
    let now = 1_000_000;
    const local = new LocalCopies(() => now);
    local.set("a", { v: 1 }, 10);
    now += 9_999;
    expect(local.get("a")).toEqual({ v: 1 });
    now += 1;
    expect(local.get("a")).toBeUndefined();
  });

  it("keeps 2,000 entries: the 2,001st pushes out the oldest, and only it", () => {
    const local = new LocalCopies(() => 0);
    for (let i = 0; i < 2_000; i++) local.set(`k${i}`, i, 60);
    expect(local.get("k0")).toBe(0);
    local.set("k2000", 2_000, 60);
    expect(local.get("k0")).toBeUndefined();
    expect(local.get("k1")).toBe(1);
    expect(local.get("k2000")).toBe(2_000);
    local.clear();
    expect(local.get("k1")).toBeUndefined();
  });
});

describe("Hints", () => {
  const hint = (global: number) => ({ global, versions: [], related: [] });
  it("keeps 2,000; setting one again makes it the newest, so the oldest untouched one goes", () => {
    const hints = new Hints();
    for (let i = 0; i < 2_000; i++) hints.set(`h${i}`, hint(i));
    hints.set("h0", hint(-1));
    hints.set("h2000", hint(2_000));
    expect(hints.get("h0")).toEqual(hint(-1));
    expect(hints.get("h1")).toBeUndefined();
    expect(hints.get("h2")).toEqual(hint(2));
    expect(hints.get("h2000")).toEqual(hint(2_000));
  });
});

describe("CacheCounters", () => {
  const counters = () =>
    new CacheCounters(
      () => 0,
      async () => undefined,
    );

  it("counts each outcome by kind and operator, and the metric by result (an error is a miss)", async () => {
    const c = counters();
    const before = {
      hit: await cacheRequests("operator-availability", "hit"),
      miss: await cacheRequests("operator-availability", "miss"),
      error: await cacheRequests("operator-availability", "error"),
      disabled: await cacheRequests("operator-availability", "disabled"),
    };
    c.count("operator-availability", "hit", "GNV");
    c.count("operator-availability", "hit", "GNV");
    c.count("operator-availability", "miss", "GNV");
    c.count("operator-availability", "miss", undefined, undefined, "error");
    c.count("operator-availability", "load", "GNV", "operator-availability:GNV:1");
    c.disabled("operator-availability");
    const t = c.snapshot();
    expect(t.byKind["operator-availability"]).toEqual({ hit: 2, miss: 2, load: 1 });
    expect(t.byOperator.GNV).toEqual({ hit: 2, miss: 1, load: 1 });
    expect(t.byKind.schedule).toEqual({ hit: 0, miss: 0, load: 0 });
    // Loads are not reads: they add to no request metric.
    expect(await cacheRequests("operator-availability", "hit")).toBe(before.hit + 2);
    expect(await cacheRequests("operator-availability", "miss")).toBe(before.miss + 1);
    expect(await cacheRequests("operator-availability", "error")).toBe(before.error + 1);
    expect(await cacheRequests("operator-availability", "disabled")).toBe(before.disabled + 1);
  });

  it("journals loads by name, and keeps the last 5,000", () => {
    const c = counters();
    const start = c.mark();
    expect(c.loadsSince(start)).toEqual([]);
    c.count("schedule", "load", undefined, "schedule:A-B:1");
    c.count("schedule", "hit");
    c.count("availability", "load");
    expect(c.loadsSince(start)).toEqual(["schedule:A-B:1", "availability"]);
    const mid = c.mark();
    for (let i = 0; i < 5_000; i++) c.count("availability", "load", undefined, `availability:${i}`);
    const since = c.loadsSince(mid);
    expect(since).toHaveLength(5_000);
    expect(since[0]).toBe("availability:0");
    // The first two fell out of the bounded journal.
    expect(c.loadsSince(start)).toHaveLength(5_000);
  });
});
