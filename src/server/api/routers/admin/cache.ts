import {
  cacheStats,
  clearAllCache,
  clearRouteCache,
  clearRouteInput,
} from "@/server/features/admin/operations";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.cache — hit/miss statistics and clearing. */
export const adminCacheRouter = createTRPCRouter({
  stats: adminProcedure.query(({ ctx }) => cacheStats(ctx.cache)),
  clearRoute: adminProcedure
    .input(clearRouteInput)
    .mutation(({ ctx, input }) => clearRouteCache(ctx, { userId: ctx.admin.userId }, input)),
  clearAll: adminProcedure.mutation(({ ctx }) => clearAllCache(ctx, { userId: ctx.admin.userId })),
});
