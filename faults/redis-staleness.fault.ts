import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/server/db/client";
import { createServices } from "@/server/services";
import { createAdminUser } from "@/server/features/auth/login";
import { createAdminSession, sessionCookieName } from "@/server/features/auth/session";
import type { SearchInput } from "../tests/support/fixtures";
import { pollUntil, sleep } from "../tests/support/poll";
import { allInvariants } from "./lib/invariants";
import { record, scenarioStack, timer } from "./lib/report";
import { observe, readSailing, type Staleness, staleness, upstashAnswers } from "./lib/staleness";
import { api, bookingInput, detailOf } from "./lib/traverse";

/**
 * Redis restarting EMPTY (no persistence) while prices and places change: no search answer may be staler
 * than the documented window (docs/reliability.md): a search that starts more than WINDOW_MS after a change
 * was saved shows the change. Staleness is defined and measured in faults/lib/staleness.ts.
 *
 * Three situations: a change with Redis up (the baseline), changes made while Redis is down under search
 * load, and a "quiet" restart — Redis restarts with no traffic in between, so the app never notices the
 * outage, and comes back empty with its version counters reset.
 */
const SCENARIO = "redis-staleness";
const WINDOW_MS = 1_000;

describe("Redis restarting empty while prices and places change", () => {
  const stackOf = scenarioStack(SCENARIO);
  let cookie: string;
  let input: SearchInput;
  let sailingId: number;
  let routeId: number;

  beforeAll(async () => {
    const stack = stackOf();
    const handle = createDb(stack.databaseUrl, { max: 1 });
    try {
      const admin = await createAdminUser(createServices({ db: handle.db }), {
        email: "pricing-fault@traverse.test",
        password: "correct horse battery staple",
        name: "faults",
      });
      const session = await createAdminSession(handle.db, admin.id, new Date());
      cookie = `${sessionCookieName(false)}=${session.token}`;
    } finally {
      await handle.close();
    }
    const [row] = await stack.sql<{ sailing: number; route: number; date: string }[]>`
      select s.id as sailing, r.id as route, to_char(s.departure_at at time zone p.time_zone, 'YYYY-MM-DD') as date
      from sailings s join routes r on r.id = s.route_id join ports p on p.code = r.from_port
      where r.from_port = 'TUN' and r.to_port = 'MRS' and r.operator_code = 'CTN' and s.status = 'SCHEDULED'
        and s.departure_at > now() + interval '3 days'
      order by s.departure_at limit 1`;
    if (!row) throw new Error("no TUN→MRS (CTN) sailing in the seed");
    sailingId = row.sailing;
    routeId = row.route;
    input = { from: "TUN", to: "MRS", date: row.date, passengers: { adults: 1, children: 0, infants: 0 } };
  });

  const read = () => readSailing(stackOf(), input, sailingId);
  const current = async () => {
    const r = await read();
    if (r.status !== 200 || r.price === null || r.remaining === null)
      throw new Error(`search failed: ${JSON.stringify(r)}`);
    return { price: r.price, remaining: r.remaining };
  };

  /** An admin sets this sailing's adult DECK fare; returns when the change is saved (its answer arrived). */
  const setPrice = async (amount: number): Promise<number> => {
    const r = await api(stackOf()).call(
      "admin.pricing.setFare",
      { routeId, sailingId, kind: "PASSENGER", accommodation: "DECK", passengerType: "adult", amount },
      { cookie, signal: AbortSignal.timeout(10_000) },
    );
    expect(r.status, r.raw).toBe(200);
    return Date.now();
  };

  let booked = 0;
  const bookOne = async (): Promise<number> => {
    const r = await api(stackOf()).call("booking.create", bookingInput(sailingId, booked++, "stale"));
    expect(r.status, detailOf(r)).toBe(200);
    return Date.now();
  };

  const check = (what: string, s: Staleness) => {
    record(SCENARIO, what, { ...s });
    expect(s.freshAnswers, `${what}: the change must become visible`).toBeGreaterThan(0);
    expect(s.windowMs, `${what}: ${s.staleAnswers} stale answers`).toBeLessThanOrEqual(WINDOW_MS);
  };

  it("with Redis up, a price change shows at once (baseline)", async () => {
    const before = await current();
    const obs = observe(read);
    await sleep(1_000);
    const at = await setPrice(before.price + 1_000);
    await sleep(3_000);
    const seen = await obs.stop();
    check(
      "baseline price change",
      staleness(seen, { at, field: "price", before: before.price, after: before.price + 1_000 }),
    );
  });

  it("changes saved while Redis is down show at once, during the outage and after it comes back empty", async () => {
    const stack = stackOf();
    const before = await current();
    const obs = observe(read);
    await sleep(1_000);
    await stack.redis!.stop();
    await sleep(1_500);
    const priceAt = await setPrice(before.price + 500);
    const bookedAt = await bookOne();
    await sleep(2_000);
    await stack.start("redis");
    await pollUntil(
      () => upstashAnswers(stack),
      (ok) => ok,
      { what: "the Upstash emulator to answer again", timeoutMs: 15_000, intervalMs: 100 },
    );
    await sleep(6_000);
    const seen = await obs.stop();
    expect(seen.filter((o) => o.status !== 200)).toEqual([]);
    check(
      "price change while Redis down",
      staleness(seen, { at: priceAt, field: "price", before: before.price, after: before.price + 500 }),
    );
    check(
      "booking while Redis down",
      staleness(seen, {
        at: bookedAt,
        field: "remaining",
        before: before.remaining,
        after: before.remaining - 1,
      }),
    );
  });

  it("a quiet restart (no traffic during it) brings back no price from before the restart", async () => {
    const stack = stackOf();
    // Cache the current day under the current versions, change the price (a new version), read it back.
    const before = await current();
    const at = await setPrice(before.price + 250);
    const fresh = await pollUntil(current, (c) => c.price === before.price + 250, {
      what: "search to show the new price",
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    expect(fresh.value.price).toBe(before.price + 250);
    // Redis restarts empty while nobody searches: the app's breaker never sees it.
    const restart = timer();
    await stack.redis!.stop();
    await stack.start("redis");
    await pollUntil(
      () => upstashAnswers(stack),
      (ok) => ok,
      { what: "the Upstash emulator to answer after the restart", timeoutMs: 15_000, intervalMs: 50 },
    );
    record(SCENARIO, "quiet restart", { ms: restart() });
    const obs = observe(read);
    await sleep(3_000);
    const seen = await obs.stop();
    check(
      "price change before a quiet restart",
      staleness(seen, { at, field: "price", before: before.price, after: before.price + 250 }),
    );
    const inv = await allInvariants(stack.sql);
    expect(inv.inventory).toEqual([]);
    expect(inv.halfWritten).toEqual([]);
  });
});
