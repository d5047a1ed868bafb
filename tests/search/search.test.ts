import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fares } from "@/server/db/schema/fares";
import { routes } from "@/server/db/schema/network";
import { inventory } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import type { Cache } from "@/server/features/cache/cache";
import type { Services } from "@/server/services";
import { searchSailings } from "@/server/features/search/sailings";
import { searchSailingsInput } from "@/server/features/search/input";
import { createDeadCache, createTestCache, type TestCache } from "../helpers/cache";
import { createTestDb, type TestDb } from "../helpers/db";
import { pollUntil } from "../helpers/poll";
import { clockAt, svcAt, testServices, withLoads, withOverrides } from "../helpers/services";

const TODAY = "2027-01-04"; // a Monday
const NOW = new Date("2027-01-04T06:00:00Z");
let t: TestDb;
let tc: TestCache;
/** Each test's own Services (its process-local state starts empty), standing at NOW. */
let base: Services;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today: TODAY, days: 30, devAdmin: null });
});
afterAll(async () => {
  await tc?.close();
  await t.destroy();
});
beforeEach(async () => {
  base = testServices({ db: t.db, clock: clockAt(NOW) });
  await tc?.close();
  tc = await createTestCache();
});

/** The test's Services searching through `cache`. */
function svcWith(cache: Cache): Services {
  return withOverrides(base, { cache });
}
/** Searches through `cache`, each Postgres load behind the search (the cache's counters) noted in `loads`. */
async function searchNoting(cache: Cache, loads: string[], i: ReturnType<typeof input>) {
  const { result, loads: seen } = await withLoads(cache, () => searchSailings(svcWith(cache), i));
  loads.push(...seen);
  return result;
}
/** A search's answer without the operators' response times, which differ between any two searches. */
const timeless = (r: Awaited<ReturnType<typeof searchSailings>>) => ({
  ...r,
  operators: r.operators.map(({ ms: _ms, ...o }) => o),
});
const input = (over: Record<string, unknown> = {}) =>
  searchSailingsInput.parse({
    from: "TUN",
    to: "MRS",
    date: "2027-01-06",
    passengers: { adults: 2 },
    ...over,
  });

describe("search.sailings", () => {
  it("returns the day's sailings with local zones, operator and options cheapest first", async () => {
    const { sailings: list } = await searchSailings(svcWith(tc.cache), input());
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) {
      expect(s.departureTimeZone).toBe("Africa/Tunis");
      expect(s.arrivalTimeZone).toBe("Europe/Paris");
      expect(s.durationMinutes).toBeGreaterThanOrEqual(21 * 60);
      expect(s.overnight).toBe(true);
      const totals = s.options.map((o) => o.total.amount);
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      const deck = s.options.find((o) => o.accommodation === "DECK")!;
      expect(deck.perPassenger).toEqual([
        { type: "adult", count: 2, unitAmount: deck.perPassenger[0]!.unitAmount, amount: deck.total.amount },
      ]);
    }
  });

  it("prices vehicles and pets into the total", async () => {
    const plain = (await searchSailings(svcWith(tc.cache), input())).sailings[0]!;
    const withCar = (await searchSailings(svcWith(tc.cache), input({ vehicle: { type: "car" }, pets: 1 })))
      .sailings[0]!;
    const a = plain.options.find((o) => o.accommodation === "DECK")!;
    const b = withCar.options.find((o) => o.accommodation === "DECK")!;
    const extras = b.extras.reduce((s, e) => s + e.amount, 0);
    expect(b.extras.map((e) => e.kind)).toEqual(["vehicle", "pet"]);
    expect(b.total.amount).toBe(a.total.amount + extras);
  });

  it("shares cached schedule and availability across party sizes", async () => {
    const loads: string[] = [];
    await searchNoting(tc.cache, loads, input());
    const first = loads.length;
    await searchNoting(tc.cache, loads, input({ passengers: { adults: 3, children: 2 } }));
    expect(first).toBeGreaterThan(0);
    expect(loads.length).toBe(first);
  });

  it("after a price edit (route invalidation) the next search shows the new price", async () => {
    const before = (await searchSailings(svcWith(tc.cache), input())).sailings[0]!;
    const [route] = await t.db
      .select()
      .from(routes)
      .where(
        and(
          eq(routes.fromPort, "TUN"),
          eq(routes.toPort, "MRS"),
          eq(routes.operatorCode, before.operator.code),
        ),
      );
    await t.db
      .update(fares)
      .set({ amount: 99_900 })
      .where(
        and(eq(fares.routeId, route!.id), eq(fares.accommodation, "DECK"), eq(fares.passengerType, "adult")),
      );
    // Without invalidation the cache still answers with the old price…
    const stale = (await searchSailings(svcWith(tc.cache), input())).sailings[0]!;
    expect(stale.options.find((o) => o.accommodation === "DECK")!.total.amount).toBe(
      before.options.find((o) => o.accommodation === "DECK")!.total.amount,
    );
    await tc.cache.invalidateRoute("TUN", "MRS");
    const after = (await searchSailings(svcWith(tc.cache), input())).sailings[0]!;
    expect(after.options.find((o) => o.accommodation === "DECK")!.total.amount).toBe(2 * 99_900);
  });

  it("after a capacity change (availability invalidation) the remaining count is fresh", async () => {
    const before = (await searchSailings(svcWith(tc.cache), input())).sailings[0]!;
    const id = before.id as number; // TUN-MRS is sailed by own operators only
    const cabins = before.options.find((o) => o.accommodation === "CABIN_OUTSIDE")!;
    await t.db
      .update(inventory)
      .set({ sold: sql`${inventory.sold} + 3` })
      .where(and(eq(inventory.sailingId, id), eq(inventory.resource, "CABIN_OUTSIDE")));
    const stale = (await searchSailings(svcWith(tc.cache), input())).sailings[0]!;
    expect(stale.options.find((o) => o.accommodation === "CABIN_OUTSIDE")!.remaining).toBe(cabins.remaining);
    await tc.cache.invalidateSailingAvailability(id);
    const fresh = (await searchSailings(svcWith(tc.cache), input())).sailings[0]!;
    expect(fresh.options.find((o) => o.accommodation === "CABIN_OUTSIDE")!.remaining).toBe(
      cabins.remaining - 3,
    );
  });

  it("a route clear only affects that route", async () => {
    const loads: string[] = [];
    await searchNoting(tc.cache, loads, input());
    await searchNoting(tc.cache, loads, input({ to: "TPS", date: "2027-01-09" }));
    loads.length = 0;
    await tc.cache.invalidateRoute("TUN", "TPS");
    await searchNoting(tc.cache, loads, input());
    await searchNoting(tc.cache, loads, input({ to: "TPS", date: "2027-01-09" }));
    expect(loads).toEqual(["schedule:TUN-TPS:2027-01-09"]);
  });

  it("clearAll empties every kind", async () => {
    const loads: string[] = [];
    await searchNoting(tc.cache, loads, input());
    loads.length = 0;
    await tc.cache.clearAll();
    await searchNoting(tc.cache, loads, input());
    expect(loads.some((l) => l.startsWith("schedule:"))).toBe(true);
    expect(loads.some((l) => l.startsWith("availability:"))).toBe(true);
  });

  it("entries expire after their TTL", async () => {
    await tc.close();
    tc = await createTestCache({ ttlSeconds: { schedule: 1, availability: 1 } });
    const loads: string[] = [];
    const written = Date.now();
    await searchNoting(tc.cache, loads, input());
    const n = loads.length;
    await searchNoting(tc.cache, loads, input());
    expect(loads.length).toBe(n);
    // Search until the entries are gone: every one of them reloads once, and not before the TTL.
    await pollUntil(
      async () => {
        await searchNoting(tc.cache, loads, input());
        return loads.length;
      },
      (total) => total >= 2 * n,
      { what: "the 1 s entries to expire and reload", timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(Date.now() - written).toBeGreaterThanOrEqual(1_000);
    expect(loads.slice(n).sort()).toEqual(loads.slice(0, n).sort());
  });

  it("100 concurrent identical searches on a cold key load from Postgres exactly once", async () => {
    // One mark around all of them: each load is noted once, whichever search triggered it.
    const { result: results, loads } = await withLoads(tc.cache, () =>
      Promise.all(
        Array.from({ length: 100 }, () => searchSailings(svcWith(tc.cache), input({ date: "2027-01-08" }))),
      ),
    );
    expect(new Set(results.map((r) => JSON.stringify(timeless(r)))).size).toBe(1);
    expect(loads.filter((l) => l.startsWith("schedule:"))).toHaveLength(1);
    const perSailing = new Map<string, number>();
    for (const l of loads.filter((x) => x.startsWith("availability:")))
      perSailing.set(l, (perSailing.get(l) ?? 0) + 1);
    expect([...perSailing.values()].every((n) => n === 1)).toBe(true);
  });

  it("two processes (two caches on one Redis) missing the same key together load it once", async () => {
    const second = tc.another();
    const run = () =>
      Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          searchSailings(svcWith(i % 2 ? tc.cache : second), input({ date: "2027-01-11" })),
        ),
      );
    const [m1, m2] = [tc.cache.counters.mark(), second.counters.mark()];
    await run();
    const loads = [...tc.cache.counters.loadsSince(m1), ...second.counters.loadsSince(m2)];
    expect(loads.filter((l) => l.startsWith("schedule:"))).toEqual(["schedule:TUN-MRS:2027-01-11"]);
  });

  it("counts hits and misses per kind", async () => {
    await searchSailings(svcWith(tc.cache), input());
    await searchSailings(svcWith(tc.cache), input());
    const stats = await tc.cache.stats();
    expect(stats.enabled).toBe(true);
    expect(stats.byKind.schedule).toEqual({ hits: 1, misses: 1 });
    expect(stats.hits).toBeGreaterThanOrEqual(2);
    expect(stats.hitRate).toBeCloseTo(stats.hits / (stats.hits + stats.misses));
    expect(stats.series.at(-1)!.hits + stats.series.at(-1)!.misses).toBe(stats.hits + stats.misses);
  });

  it("answers from Postgres when Redis is unreachable, and stops waiting for it", async () => {
    const cache = createDeadCache({ breakerCooldownMs: 60_000, timeoutMs: 300 });
    const expected = await searchSailings(svcWith(tc.cache), input());
    const t0 = Date.now();
    const first = await searchSailings(svcWith(cache), input());
    const firstMs = Date.now() - t0;
    expect(timeless(first)).toEqual(timeless(expected));
    expect(cache.enabled).toBe(false);
    expect(await cache.ping()).toBe("disabled");
    const t1 = Date.now();
    for (let i = 0; i < 5; i++) await searchSailings(svcWith(cache), input());
    const laterMs = (Date.now() - t1) / 5;
    // The later requests skip Redis entirely: they do not pay the connection failure again.
    expect(laterMs).toBeLessThan(Math.max(firstMs, 50));
  });
});

describe("validation", () => {
  const bad = (over: Record<string, unknown>) =>
    searchSailingsInput.safeParse({
      from: "TUN",
      to: "MRS",
      date: "2027-01-06",
      passengers: { adults: 2 },
      ...over,
    });
  it.each([
    [{ to: "TUN" }, "must be different"],
    [{ passengers: { adults: 0 } }, "At least one adult"],
    [{ passengers: { adults: 1, infants: 2 } }, "infant"],
    [{ passengers: { adults: 8, children: 4 } }, "At most 9 people"],
    [{ passengers: { adults: 1.5 } }, "whole number"],
    [{ date: "2027-02-30" }, "calendar date"],
    [{ from: "T1" }, "three-letter"],
    [{ pets: 9 }, "At most 4 pets"],
    [{ vehicle: { type: "tank" } }, "Vehicle type"],
  ])("%j → %s", (over, message) => {
    const r = bad(over);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join(" ")).toContain(message);
  });

  it.each([
    [{ from: "XXX" }, "We do not serve a port with code XXX"],
    [{ to: "SAL", from: "MRS" }, "There is no crossing"],
    [{ date: "2027-01-03" }, "has already passed"],
    [{ date: "2027-12-01" }, "published up to"],
  ])("%j → %s", async (over, message) => {
    await expect(searchSailings(svcWith(tc.cache), input(over))).rejects.toThrow(message);
  });

  it.each([
    [{ from: "XXX" }, "UNKNOWN_PORT", "from"],
    [{ to: "SAL", from: "MRS" }, "NO_CROSSING", "to"],
    [{ date: "2027-01-03" }, "DATE_PASSED", "date"],
    [{ date: "2027-12-01" }, "NOT_PUBLISHED", "date"],
  ])("%j is refused with the reason %s, about the field %s, as a 400", async (over, reason, field) => {
    await expect(searchSailings(svcWith(tc.cache), input(over))).rejects.toMatchObject({
      reason,
      code: "BAD_REQUEST",
      details: { reason, field },
    });
  });
});

describe("search.sailing", () => {
  it("prices one sailing exactly as the results page does, and says when it is gone", async () => {
    const { sailingQuote } = await import("@/server/features/search/sailing");
    const party = { adults: 2, children: 1, infants: 0 };
    const list = await searchSailings(
      svcWith(tc.cache),
      input({ passengers: party, vehicle: { type: "car" } }),
    );
    const first = list.sailings[0]!;
    const one = await sailingQuote(svcWith(tc.cache), {
      id: first.id,
      passengers: party,
      vehicle: { type: "car" },
      pets: 0,
    });
    expect(one.sailing).toEqual(first);
    expect(one.route).toMatchObject({
      from: "TUN",
      to: "MRS",
      date: "2027-01-06",
      fromTimeZone: "Africa/Tunis",
    });
    expect(["STANDARD", "FLEX"]).toContain(one.route.refundPolicy);
    await expect(
      sailingQuote(svcWith(tc.cache), { id: 99_999_999, passengers: party, pets: 0 }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const later = svcAt(svcWith(tc.cache), new Date("2027-01-20T00:00:00Z"));
    expect((await sailingQuote(later, { id: first.id, passengers: party, pets: 0 })).sailing).toBeNull();
  });
});
