import {
  removeOverride,
  removeOverrideInput,
  routeFares,
  routeFaresInput,
  setFare,
  setFareInput,
} from "@/server/features/pricing/admin-fares";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.pricing — route fare tables and per-sailing overrides. */
export const adminPricingRouter = createTRPCRouter({
  routeFares: adminProcedure.input(routeFaresInput).query(({ ctx, input }) => routeFares(ctx.db, input)),
  setFare: adminProcedure
    .input(setFareInput)
    .mutation(({ ctx, input }) => setFare(ctx, { userId: ctx.admin.userId }, input)),
  removeOverride: adminProcedure
    .input(removeOverrideInput)
    .mutation(({ ctx, input }) => removeOverride(ctx, { userId: ctx.admin.userId }, input)),
});
