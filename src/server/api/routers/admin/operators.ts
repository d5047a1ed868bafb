import {
  listOperators,
  updateOperator,
  updateOperatorInput,
} from "@/server/features/operators/admin-operators";
import { testConnectionInput, testOperatorConnection } from "@/server/features/operators/test-connection";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.operators — connected operators' settings, breakers, call statistics and a connection test. */
export const adminOperatorsRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listOperators(ctx.svc)),
  update: adminProcedure
    .input(updateOperatorInput)
    .mutation(({ ctx, input }) => updateOperator(ctx.svc, ctx.actor, input)),
  testConnection: adminProcedure
    .input(testConnectionInput)
    .mutation(({ ctx, input }) => testOperatorConnection(ctx.svc, ctx.actor, input)),
});
