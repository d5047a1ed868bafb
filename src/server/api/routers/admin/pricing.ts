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
  routeFares: adminProcedure.input(routeFaresInput).query(({ ctx, input }) => routeFares(ctx.svc, input)),
  setFare: adminProcedure
    .input(setFareInput)
    .mutation(({ ctx, input }) => setFare(ctx.svc, ctx.actor, input)),
  removeOverride: adminProcedure
    .input(removeOverrideInput)
    .mutation(({ ctx, input }) => removeOverride(ctx.svc, ctx.actor, input)),
});
