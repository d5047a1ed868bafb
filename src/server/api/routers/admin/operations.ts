import { operationsDelays } from "@/server/features/observability/delays";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.operations — how long travellers wait for confirmations and emails, against the promises. */
export const adminOperationsRouter = createTRPCRouter({
  delays: adminProcedure.query(({ ctx }) => operationsDelays(ctx.svc)),
});
