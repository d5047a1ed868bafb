import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { fares } from "@/server/db/schema/fares";
import { sailings } from "@/server/db/schema/sailings";
import { adminCaller } from "../admin/admin-helpers";
import { nextSailing, bookingStackForFile } from "../helpers/booking-stack";
import { type CacheWorld, openCacheWorld } from "./cache-world";
import { searchProbe, warmAndProveHit } from "./search-probe";

/**
 * Price edits bump the route version (the fares live in the cached day schedule). Each test warms the
 * cache, proves a hit, edits through admin.pricing on another cache instance, and proves the next search
 * shows the new price. Each fails if its `invalidateRoute` call in pricing/admin-fares.ts is removed.
 */
let w: CacheWorld;
const s = bookingStackForFile({ days: 14 });
afterEach(() => w?.close());

async function setup(daysAhead: number) {
  w = await openCacheWorld(s);
  const { caller } = await adminCaller(w.svc, "cache-pricing");
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const [row] = await s.t.db
    .select({ routeId: sailings.routeId })
    .from(sailings)
    .where(eq(sailings.id, sailing.id));
  const probe = await searchProbe(s.svc, w.reader, sailing.id);
  const warm = await warmAndProveHit(s.t.db, probe);
  return { api: caller, sailing, routeId: row!.routeId, probe, warm };
}

const deckAdult = { kind: "PASSENGER", accommodation: "DECK", passengerType: "adult" } as const;

describe("price edits invalidate the search cache", () => {
  it("route fare edit: the next search shows the new price", async () => {
    const { api, routeId, probe, warm } = await setup(3);
    await api.admin.pricing.setFare({ routeId, ...deckAdult, amount: 12_345 });

    const after = await probe.read();
    expect(after.price).toBe(12_345);
    expect(after.scheduleLoaded).toBe(true);
    expect(after.price).toBe((await probe.truth()).price);
    // A price edit leaves availability alone.
    expect(after.remaining).toBe(warm.remaining);
    expect(after.availabilityLoaded).toBe(false);
  });

  it("per-sailing override: the next search shows the override", async () => {
    const { api, routeId, sailing, probe } = await setup(4);
    await api.admin.pricing.setFare({ routeId, sailingId: sailing.id, ...deckAdult, amount: 4_321 });

    const after = await probe.read();
    expect(after.price).toBe(4_321);
    expect(after.scheduleLoaded).toBe(true);
    expect(after.price).toBe((await probe.truth()).price);
  });

  it("override removed: the next search shows the route fare again", async () => {
    w = await openCacheWorld(s);
    const { caller: api } = await adminCaller(w.svc, "cache-pricing");
    const sailing = await nextSailing(s.t, "TUN", "TPS", 5);
    const [row] = await s.t.db
      .select({ routeId: sailings.routeId })
      .from(sailings)
      .where(eq(sailings.id, sailing.id));
    const override = await api.admin.pricing.setFare({
      routeId: row!.routeId,
      sailingId: sailing.id,
      ...deckAdult,
      amount: 2_222,
    });
    const probe = await searchProbe(s.svc, w.reader, sailing.id);
    const warm = await probe.read();
    expect(warm.price).toBe(2_222);
    // The override hides the route fare, so the change behind the cache's back is to the override itself.
    await s.t.db.update(fares).set({ amount: 2_999 }).where(eq(fares.id, override.id));
    const hit = await probe.read();
    expect(hit.loads).toEqual([]);
    expect(hit.price).toBe(2_222);

    await api.admin.pricing.removeOverride({ fareId: override.id });

    const routeFare = (await probe.truth()).price;
    expect(routeFare).not.toBe(warm.price);
    const after = await probe.read();
    expect(after.price).toBe(routeFare);
    expect(after.scheduleLoaded).toBe(true);
  });
});
