import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { sailings } from "@/server/db/schema/sailings";
import { isoWeekday } from "@/shared/dates";
import { adminCaller } from "../admin/admin-helpers";
import { inventoryOf, nextSailing, bookingStackForFile } from "../helpers/booking-stack";
import { type CacheWorld, openCacheWorld } from "./cache-world";
import {
  CAPACITY_BUMP,
  expectAllReloaded,
  PRICE_BUMP,
  scheduleView,
  searchProbe,
  warmAndProveHit,
} from "./search-probe";

/**
 * Schedule edits through admin.schedule: a new, moved or cancelled sailing (and a generated timetable)
 * bumps the route version; a capacity edit or a change to one sailing also deletes its availability key.
 * Each test warms the cache, proves a hit, edits on another cache instance, and proves the next search is
 * fresh. Each fails if its invalidation call in schedule/sailing-changes.ts or cancel-sailing.ts is removed.
 */
let w: CacheWorld;
const s = bookingStackForFile({ days: 21 });
afterEach(() => w?.close());

/** A sailing on TUN → TPS (sailing daily) with no bookings, its route and vessel, and a warm probe. */
async function setup(daysAhead: number) {
  w = await openCacheWorld(s);
  const { caller } = await adminCaller(w.svc, "cache-schedule");
  const picked = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const [sailing] = await s.t.db.select().from(sailings).where(eq(sailings.id, picked.id));
  const probe = await searchProbe(s.svc, w.reader, picked.id);
  const warm = await warmAndProveHit(s.t.db, probe);
  return { api: caller, sailing: sailing!, probe, warm };
}

describe("schedule edits invalidate the search cache", () => {
  it("capacity edit: the new capacity shows at once, and the route version is bumped", async () => {
    const { api, sailing, probe, warm } = await setup(3);
    const deck = await inventoryOf(s.t, sailing.id, "DECK");
    await api.admin.schedule.setCapacity({
      sailingId: sailing.id,
      capacities: [{ resource: "DECK", capacity: deck.capacity + 3 }],
    });

    await expectAllReloaded(probe, warm, 3);
  });

  it("sailing created: it is listed on its day at once", async () => {
    const { api, sailing, probe, warm } = await setup(4);
    const created = await api.admin.schedule.create({
      routeId: sailing.routeId,
      vesselId: sailing.vesselId,
      departureDate: probe.date,
      departureTime: "03:33",
    });
    expect(warm.dayIds).not.toContain(created.id);

    const after = await probe.read();
    expect(after.dayIds).toContain(created.id);
    expect(after.scheduleLoaded).toBe(true);
    expect(after.price).toBe(warm.price! + PRICE_BUMP);
    // Only the route version moves: the other sailings' availability may stay cached.
    expect(scheduleView(after)).toEqual(scheduleView(await probe.truth()));
  });

  it("sailing moved: the new departure time shows at once", async () => {
    const { api, sailing, probe, warm } = await setup(5);
    const { sailing: moved } = await api.admin.schedule.update({
      sailingId: sailing.id,
      departureDate: probe.date,
      departureTime: "04:44",
    });
    expect(moved.departureAt.getTime()).not.toBe(warm.departureAt);

    const after = await probe.read();
    expect(after.departureAt).toBe(moved.departureAt.getTime());
    expect(after.scheduleLoaded).toBe(true);
    expect(after.remaining).toBe(warm.remaining! + CAPACITY_BUMP);
    expect(after.availabilityLoaded).toBe(true);
    expect(after).toMatchObject(await probe.truth());
  });

  it("sailing cancelled: shown cancelled at once, availability reloaded", async () => {
    const { api, sailing, probe, warm } = await setup(6);
    expect(warm.cancelled).toBe(false);
    const r = await api.admin.schedule.cancelSailing({ sailingId: sailing.id });
    // No bookings on it: only cancelSailing's own invalidation can refresh the cache.
    expect(r).toMatchObject({ status: "CANCELLED", bookingsCancelled: 0 });

    const after = await probe.read();
    expect(after.cancelled).toBe(true);
    expect(after.scheduleLoaded).toBe(true);
    expect(after.remaining).toBe(warm.remaining! + CAPACITY_BUMP);
    expect(after.availabilityLoaded).toBe(true);
    expect(after).toMatchObject(await probe.truth());
  });

  it("timetable generated: the new sailings are listed at once", async () => {
    const { api, sailing, probe, warm } = await setup(7);
    const r = await api.admin.schedule.generateTimetable({
      routeId: sailing.routeId,
      vesselId: sailing.vesselId,
      weekdays: [isoWeekday(probe.date)],
      departureTime: "02:22",
      fromDate: probe.date,
      toDate: probe.date,
    });
    expect(r.created).toBe(1);
    const created = r.ids[0]!;
    expect(warm.dayIds).not.toContain(created);

    const after = await probe.read();
    expect(after.dayIds).toContain(created);
    expect(after.scheduleLoaded).toBe(true);
    expect(scheduleView(after)).toEqual(scheduleView(await probe.truth()));
  });
});
