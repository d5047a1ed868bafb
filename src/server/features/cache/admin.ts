import { z } from "zod";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { portCode } from "@/server/lib/inputs";
import type { Services } from "@/server/services";
import type { CacheStats } from "./cache";

/** The admin cache panel: hit/miss statistics and clearing. */

export const clearRouteInput = z.object({ from: portCode, to: portCode });

export async function cacheStats(svc: Services): Promise<CacheStats> {
  return svc.cache.stats();
}

/**
 * Cache clears change no data, but they are admin actions worth seeing in the log (a clear-all costs every
 * search a Postgres round trip for a while), so they are audited like changes.
 */
export async function clearRouteCache(svc: Services, actor: Actor, input: z.infer<typeof clearRouteInput>) {
  await svc.cache.invalidateRoute(input.from, input.to);
  await writeAudit(svc.db, {
    adminUserId: actor.userId,
    action: "cache.clearRoute",
    entity: "cache",
    entityId: `${input.from}-${input.to}`,
    after: { enabled: svc.cache.enabled },
  });
  return { cleared: `${input.from}-${input.to}`, enabled: svc.cache.enabled };
}

export async function clearAllCache(svc: Services, actor: Actor) {
  await svc.cache.clearAll();
  await writeAudit(svc.db, {
    adminUserId: actor.userId,
    action: "cache.clearAll",
    entity: "cache",
    entityId: "*",
    after: { enabled: svc.cache.enabled },
  });
  return { cleared: "*", enabled: svc.cache.enabled };
}
