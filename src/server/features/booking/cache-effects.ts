import { inArray } from "drizzle-orm";
import { routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import type { Services } from "@/server/services";
import { sailingRoute } from "@/server/db/queries/joins";

/**
 * The display cache's rules for bookings, applied after the transaction commits: any capacity change
 * deletes the sailings' availability keys; a confirm or cancel also bumps their routes' versions. A
 * connected operator's sailing (a shadow row with `operator_sailing_id`) is cached under the operator's
 * own keys too (`Cache.invalidateOperatorAvailability`, `Cache.invalidateOperatorRoute`), so those go with it.
 */
export async function invalidateAfterCapacityChange(
  svc: Services,
  sailingIds: number[],
  opts: { routes: boolean },
): Promise<void> {
  if (sailingIds.length === 0) return;
  const rows = await svc.db
    .selectDistinct({
      from: routes.fromPort,
      to: routes.toPort,
      operator: routes.operatorCode,
      operatorSailingId: sailings.operatorSailingId,
    })
    .from(sailings)
    .innerJoin(routes, sailingRoute)
    .where(inArray(sailings.id, sailingIds));
  const connected = rows.filter((r) => r.operatorSailingId !== null);
  await Promise.all([
    svc.cache.invalidateSailingAvailability(sailingIds),
    ...connected.map((r) => svc.cache.invalidateOperatorAvailability(r.operator, [r.operatorSailingId!])),
  ]);
  if (!opts.routes) return;
  const pairs = new Map(rows.map((r) => [`${r.from}-${r.to}`, r]));
  await Promise.all([
    ...[...pairs.values()].map((p) => svc.cache.invalidateRoute(p.from, p.to)),
    ...connected.map((r) => svc.cache.invalidateOperatorRoute(r.operator, r.from, r.to)),
  ]);
}
