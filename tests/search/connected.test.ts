import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { control } from "../../emulators/operator/test-support";
import { applyMarkup } from "@/server/features/operators/markup";
import { sailingQuote } from "@/server/features/search/sailing";
import { searchSailings } from "@/server/features/search/sailings";
import { createDeadCache, createTestCache } from "../helpers/cache";
import { pollUntil } from "../helpers/poll";
import { type ConnectedWorld, GNV_DAY, openConnectedWorld, searchInput } from "./connected-world";

/**
 * search.sailings asks the connected operators (the emulators) beside Postgres: their sailings carry
 * string ids and Traverse's markup, each operator's answer is reported, and one that does not answer
 * in time is reported as such without holding the others back.
 */
let w: ConnectedWorld;
beforeAll(async () => {
  w = await openConnectedWorld();
});
afterAll(() => w.close());
beforeEach(async () => {
  await control(w.gnv, "reset", {});
  await control(w.grm, "reset", {});
});

describe("search across connected operators", () => {
  it("lists a connected operator's sailings with string ids, source and the markup on its price", async () => {
    const svc = await w.services();
    const res = await searchSailings(svc, searchInput());
    const connected = res.sailings.filter((s) => s.source === "connected");
    expect(connected.map((s) => s.id)).toEqual(["GNV:GNV-TUNGOA-20261210-2000"]);
    const s = connected[0]!;
    expect(s.operator).toEqual({ code: "GNV", name: "Grandi Navi Veloci" });
    expect(s.departureAt.toISOString()).toBe("2026-12-10T19:00:00.000Z");
    // The emulator's own price for two adults on deck (GetSailings), plus GNV's markup (800 bps by default).
    const offer = await fetch(`${w.gnv.url}/ferrygateway/v1/GetSailings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer test-key" },
      body: JSON.stringify({ from: "TUN", to: "GOA", date: GNV_DAY, passengers: { adults: 2 } }),
    }).then(
      (r) =>
        r.json() as Promise<{
          sailings: { classes: { accommodation: string; price: { amount: number } }[] }[];
        }>,
    );
    const deck = offer.sailings[0]!.classes.find((c) => c.accommodation === "DECK")!.price.amount;
    expect(s.options.find((o) => o.accommodation === "DECK")!.total.amount).toBe(applyMarkup(deck, 800));
    expect(res.operators.find((o) => o.code === "GNV")).toMatchObject({ source: "connected", status: "ok" });
    for (const own of res.sailings.filter((x) => x.source === "own")) expect(typeof own.id).toBe("number");
  });

  it("answers the second identical search from the cache: status cached, no second upstream call", async () => {
    const svc = await w.services();
    await searchSailings(svc, searchInput({ date: "2026-12-13" }));
    const second = await searchSailings(svc, searchInput({ date: "2026-12-13" }));
    expect(second.operators.find((o) => o.code === "GNV")!.status).toBe("cached");
    expect(second.sailings.some((s) => s.source === "connected")).toBe(true);
    expect(await w.getSailingsCalls(w.gnv)).toBe(1);
  });

  it("reports a hung operator as timeout within its timeout, and still shows the others", async () => {
    const svc = await w.services({ timeoutMs: 400 });
    await control(w.gnv, "hang", { seconds: 5 });
    const t0 = performance.now();
    const res = await searchSailings(svc, searchInput({ date: "2026-12-15" }));
    const ms = performance.now() - t0;
    expect(res.operators.find((o) => o.code === "GNV")!.status).toBe("timeout");
    expect(ms).toBeLessThan(400 + 400);
    // 2026-12-15 is a Tuesday: CTN (own) sails Tunis–Genoa too, and its sailing is still listed.
    expect(res.sailings.length).toBeGreaterThan(0);
    expect(res.sailings.every((s) => s.source === "own")).toBe(true);
    expect(res.operators.find((o) => o.code === "CTN")).toMatchObject({ source: "own", status: "ok" });
    await control(w.gnv, "hang", { seconds: 0 });
  });

  it("reports an operator that is down as unavailable", async () => {
    const svc = await w.services();
    await control(w.gnv, "down", { seconds: 5 });
    const res = await searchSailings(svc, searchInput({ date: "2026-12-17" }));
    expect(res.operators.find((o) => o.code === "GNV")!.status).toBe("unavailable");
    await control(w.gnv, "down", { seconds: 0 });
  });

  it("with Redis down, one search asks the operator once: its availability comes from the same answer", async () => {
    const svc = await w.services({ cache: createDeadCache() });
    const res = await searchSailings(svc, searchInput({ date: "2026-12-31" }));
    expect(res.operators.find((o) => o.code === "GNV")!.status).toBe("ok");
    expect(res.sailings.some((s) => s.source === "connected")).toBe(true);
    expect(await w.getSailingsCalls(w.gnv)).toBe(1);
  });

  it("a failed call is shared in this process for a moment, even with Redis down, then asked again", async () => {
    const svc = await w.services({ cache: createDeadCache() });
    await control(w.gnv, "down", { seconds: 5 });
    const input = searchInput({ date: "2026-12-29" });
    for (let i = 0; i < 3; i++) {
      const res = await searchSailings(svc, input);
      expect(res.operators.find((o) => o.code === "GNV")!.status).toBe("unavailable");
    }
    expect(await w.getSailingsCalls(w.gnv)).toBe(1);
    const asked = () => searchSailings(svc, input).then(() => w.getSailingsCalls(w.gnv));
    await pollUntil(asked, (calls) => calls === 2, {
      what: "GNV asked again once the shared failure is over",
      timeoutMs: 5_000,
      intervalMs: 200,
    });
    await control(w.gnv, "down", { seconds: 0 });
  });

  it("search.sailing finds a connected sailing by the id search handed out", async () => {
    const svc = await w.services();
    const listed = (await searchSailings(svc, searchInput())).sailings.find((s) => s.source === "connected")!;
    const one = await sailingQuote(svc, {
      id: listed.id,
      passengers: { adults: 2, children: 0, infants: 0 },
      pets: 0,
    });
    expect(one.sailing?.id).toBe(listed.id);
    expect(one.route).toMatchObject({ from: "TUN", to: "GOA", date: GNV_DAY });
    await expect(
      sailingQuote(svc, {
        id: "GNV:GNV-TUNGOA-20261211-2000",
        passengers: { adults: 1, children: 0, infants: 0 },
        pets: 0,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("caching connected answers", () => {
  it("100 concurrent identical cold searches, in two processes, make one upstream GetSailings per operator", async () => {
    await control(w.gnv, "latency", { minMs: 200, maxMs: 200 });
    await control(w.grm, "latency", { minMs: 200, maxMs: 200 });
    const a = await w.services();
    const b = await w.services({ cache: w.tc.another() });
    const searches = (input: ReturnType<typeof searchInput>) =>
      Promise.all(Array.from({ length: 100 }, (_, i) => searchSailings(i % 2 ? a : b, input)));
    const [gnv, grm] = await Promise.all([
      searches(searchInput({ date: "2026-12-20" })),
      searches(searchInput({ to: "CIV", date: "2026-12-20" })),
    ]);
    expect(await w.getSailingsCalls(w.gnv)).toBe(1);
    expect(await w.getSailingsCalls(w.grm)).toBe(1);
    for (const list of [gnv, grm]) {
      const ids = new Set(list.map((r) => JSON.stringify(r.sailings.map((s) => s.id))));
      expect(ids.size).toBe(1);
      expect(list.every((r) => r.operators.every((o) => o.status === "ok" || o.status === "cached"))).toBe(
        true,
      );
      expect(list[0]!.sailings.some((s) => s.source === "connected")).toBe(true);
    }
  });

  it("stores schedules and fares for 300 s and availability per sailing for 60 s", async () => {
    const svc = await w.services();
    await searchSailings(svc, searchInput({ date: "2026-12-22" }));
    const schedule = await w.tc.keys("osched:*");
    const availability = await w.tc.keys("oavail:*");
    expect(schedule.filter((k) => k.endsWith(":2026-12-22:2.0.0.-.0"))).toHaveLength(1);
    const key = schedule.find((k) => k.endsWith(":2026-12-22:2.0.0.-.0"))!;
    expect(await w.tc.redis.pttl(key)).toBeGreaterThan(290_000);
    expect(await w.tc.redis.pttl(key)).toBeLessThanOrEqual(300_000);
    const avail = availability.find((k) => k.endsWith(":GNV:GNV-TUNGOA-20261222-2000"))!;
    expect(avail).toBeDefined();
    expect(await w.tc.redis.pttl(avail)).toBeGreaterThan(50_000);
    expect(await w.tc.redis.pttl(avail)).toBeLessThanOrEqual(60_000);
  });

  it("expired availability is fetched again while the schedule stays cached", async () => {
    const tc = await createTestCache({ ttlSeconds: { "operator-availability": 1 } });
    try {
      const svc = await w.services({ cache: tc.cache });
      await searchSailings(svc, searchInput({ date: "2026-12-24" }));
      await control(w.gnv, "sold-out", { sailingId: "GNV-TUNGOA-20261224-2000" });
      const deckLeft = async () =>
        (await searchSailings(svc, searchInput({ date: "2026-12-24" }))).sailings
          .find((s) => s.source === "connected")!
          .options.find((o) => o.accommodation === "DECK")!.remaining;
      expect(await deckLeft()).toBeGreaterThan(0); // still the cached availability
      const mark = tc.cache.counters.mark();
      await pollUntil(deckLeft, (left) => left === 0, {
        what: "the 1 s availability entry to expire and reload",
        timeoutMs: 10_000,
        intervalMs: 200,
      });
      const loads = tc.cache.counters.loadsSince(mark);
      expect(loads.some((l) => l.startsWith("operator-availability:"))).toBe(true);
      expect(loads.some((l) => l.startsWith("operator-schedule:"))).toBe(false);
    } finally {
      await tc.close();
    }
  });

  it("counts hits and misses per operator for the admin cache panel", async () => {
    const svc = await w.services();
    await searchSailings(svc, searchInput({ date: "2026-12-27" }));
    await searchSailings(svc, searchInput({ date: "2026-12-27" }));
    const totals = w.tc.cache.counters.snapshot().byOperator.GNV!;
    expect(totals.load).toBeGreaterThan(0);
    expect(totals.hit).toBeGreaterThan(0);
    const stats = await w.tc.cache.stats();
    expect(stats.byOperator.GNV!.hits).toBeGreaterThan(0);
    expect(stats.byOperator.GNV!.misses).toBeGreaterThan(0);
  });
});
