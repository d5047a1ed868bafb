import { afterEach, describe, expect, it } from "vitest";
import { adminCaller } from "../admin/admin-helpers";
import { nextSailing, bookingStackForFile } from "../helpers/booking-stack";
import { type CacheWorld, openCacheWorld } from "./cache-world";
import { expectAllReloaded, PRICE_BUMP, searchProbe, warmAndProveHit } from "./search-probe";

/**
 * The admin's cache buttons (admin.cache): clearing a route bumps its version, clearing everything bumps
 * the global version embedded in every key. Each test fails if the call in admin/operations.ts is removed.
 */
let w: CacheWorld;
const s = bookingStackForFile({ days: 14 });
afterEach(() => w?.close());

async function setup(from: string, to: string, daysAhead: number) {
  w = await openCacheWorld(s);
  const { caller } = await adminCaller(w.svc, "cache-clears");
  const sailing = await nextSailing(s.t, from, to, daysAhead);
  const probe = await searchProbe(s.svc, w.reader, sailing.id);
  const warm = await warmAndProveHit(s.t.db, probe);
  return { api: caller, probe, warm };
}

describe("admin cache clears", () => {
  it("clear route: that route's schedule and prices reload", async () => {
    const { api, probe, warm } = await setup("TUN", "TPS", 3);
    // A warm second route, to see that a route clear stays on its route.
    const other = await searchProbe(s.svc, w.reader, (await nextSailing(s.t, "TUN", "MRS", 3)).id);
    await other.read();
    expect((await other.read()).loads).toEqual([]);

    await api.admin.cache.clearRoute({ from: probe.from, to: probe.to });

    const after = await probe.read();
    expect(after.price).toBe(warm.price! + PRICE_BUMP);
    expect(after.scheduleLoaded).toBe(true);
    expect((await other.read()).loads).toEqual([]);
  });

  it("clear all: schedules and availability reload everywhere", async () => {
    const { api, probe, warm } = await setup("TUN", "TPS", 4);

    await api.admin.cache.clearAll();

    await expectAllReloaded(probe, warm, 0);
  });
});
