import { eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import type { Cache } from "@/server/features/cache/cache";

/**
 * DESIGN §4 cache rules, applied after the transaction commits: any capacity change deletes the
 * sailings' availability keys; a confirm or cancel also bumps their routes' versions.
 */
export async function invalidateAfterCapacityChange(
  db: DbOrTx,
  cache: Cache,
  sailingIds: number[],
  opts: { routes: boolean },
): Promise<void> {
  if (sailingIds.length === 0) return;
  await cache.invalidateSailingAvailability(sailingIds);
  if (!opts.routes) return;
  const pairs = await db
    .selectDistinct({ from: routes.fromPort, to: routes.toPort })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .where(inArray(sailings.id, sailingIds));
  await Promise.all(pairs.map((p) => cache.invalidateRoute(p.from, p.to)));
}
