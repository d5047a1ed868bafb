import { listAudit, listAuditInput } from "@/server/features/audit/audit";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.audit — who changed what, when, with before/after. */
export const adminAuditRouter = createTRPCRouter({
  list: adminProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.svc, input)),
});
