import {
  removeOverride,
  removeOverrideInput,
  routeFares,
  routeFaresInput,
  setFare,
  setFareInput,
} from "@/server/features/pricing/admin-fares";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import { adminAction } from "./actions";

/** admin.pricing — route fare tables and per-sailing overrides. */
export const adminPricingRouter = createTRPCRouter({
  routeFares: adminProcedure.input(routeFaresInput).query(({ ctx, input }) => routeFares(ctx.svc, input)),
  setFare: adminAction(setFareInput, setFare),
  removeOverride: adminAction(removeOverrideInput, removeOverride),
});
