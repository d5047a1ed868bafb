import { eq, inArray } from "drizzle-orm";
import { routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import type { Services } from "@/server/services";

/**
 * The display cache's rules for bookings, applied after the transaction commits: any capacity change
 * deletes the sailings' availability keys; a confirm or cancel also bumps their routes' versions.
 */
export async function invalidateAfterCapacityChange(
  svc: Services,
  sailingIds: number[],
  opts: { routes: boolean },
): Promise<void> {
  if (sailingIds.length === 0) return;
  await svc.cache.invalidateSailingAvailability(sailingIds);
  if (!opts.routes) return;
  const pairs = await svc.db
    .selectDistinct({ from: routes.fromPort, to: routes.toPort })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .where(inArray(sailings.id, sailingIds));
  await Promise.all(pairs.map((p) => svc.cache.invalidateRoute(p.from, p.to)));
}
