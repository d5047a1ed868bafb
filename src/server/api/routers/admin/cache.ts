import { cacheStats, clearAllCache, clearRouteCache, clearRouteInput } from "@/server/features/cache/admin";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.cache — hit/miss statistics and clearing. */
export const adminCacheRouter = createTRPCRouter({
  stats: adminProcedure.query(({ ctx }) => cacheStats(ctx.svc)),
  clearRoute: adminProcedure
    .input(clearRouteInput)
    .mutation(({ ctx, input }) => clearRouteCache(ctx.svc, ctx.actor, input)),
  clearAll: adminProcedure.mutation(({ ctx }) => clearAllCache(ctx.svc, ctx.actor)),
});
