import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import { invalidateAfterCapacityChange } from "@/server/features/booking/cache-effects";
import { availabilityKey, routeKey } from "@/server/features/cache/cache";
import { operatorRouteKey, physicalKey } from "@/server/features/cache/keys";
import { bookingStackForFile, nextSailing } from "../helpers/booking-stack";

/**
 * `invalidateAfterCapacityChange` on a mix of sailings: an own one, and a connected operator's (a shadow
 * row carrying `operator_sailing_id`), which search caches under the operator's own keys too. Each key it
 * must drop, each version it must bump, and each one it must leave alone is checked in Redis itself.
 */
const s = bookingStackForFile({ days: 14 });

async function setup() {
  const own = await nextSailing(s.t, "TUN", "TPS", 3);
  const shadow = await nextSailing(s.t, "TUN", "MRS", 3);
  await s.t.db.update(sailings).set({ operatorSailingId: "GNV-X1" }).where(eq(sailings.id, shadow.id));
  const [op] = await s.t.db
    .select({ operator: routes.operatorCode })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .where(eq(sailings.id, shadow.id));
  const { cache } = s.tc;
  const global = (await cache.versions([]))!.global;
  const opAvail = (ref: string) => physicalKey("operator-availability", global, [], `${op!.operator}:${ref}`);
  const keys = {
    own: availabilityKey(global, own.id),
    shadow: availabilityKey(global, shadow.id),
    opShadow: opAvail("GNV-X1"),
    opOther: opAvail("GNV-X2"),
  };
  for (const k of Object.values(keys)) await s.tc.redis.set(k, { free: {} });
  const names = [
    routeKey("TUN", "TPS"),
    routeKey("TUN", "MRS"),
    operatorRouteKey(op!.operator, "TUN", "MRS"),
    operatorRouteKey(op!.operator, "TUN", "TPS"),
    routeKey("TUN", "GOA"),
  ];
  const versions = async () => (await cache.versions(names))!.routes;
  const present = async () =>
    Object.fromEntries(
      await Promise.all(Object.entries(keys).map(async ([k, v]) => [k, await s.tc.redis.exists(v)])),
    );
  return { ids: [own.id, shadow.id], versions, present };
}

describe("capacity changes on own and connected sailings", () => {
  it("drop both sailings' availability and the operator's own entry for it, and bump no version", async () => {
    const { ids, versions, present } = await setup();
    const before = await versions();
    await invalidateAfterCapacityChange(s.svc, ids, { routes: false });
    expect(await present()).toEqual({ own: 0, shadow: 0, opShadow: 0, opOther: 1 });
    expect(await versions()).toEqual(before);
  });

  it("with routes: each route pair once, and the operator's share of the connected one", async () => {
    const { ids, versions, present } = await setup();
    const [tps, mrs, opMrs, opTps, goa] = await versions();
    await invalidateAfterCapacityChange(s.svc, [...ids, ids[0]!], { routes: true });
    expect(await present()).toEqual({ own: 0, shadow: 0, opShadow: 0, opOther: 1 });
    expect(await versions()).toEqual([tps! + 1, mrs! + 1, opMrs! + 1, opTps, goa]);
  });

  it("nothing to do for no sailings", async () => {
    const { versions, present } = await setup();
    const before = await versions();
    await invalidateAfterCapacityChange(s.svc, [], { routes: true });
    expect(await present()).toEqual({ own: 1, shadow: 1, opShadow: 1, opOther: 1 });
    expect(await versions()).toEqual(before);
  });
});
