import { z } from "zod";
import { listAudit } from "@/server/features/admin/audit";
import { adminProcedure, createTRPCRouter } from "../../trpc";

const listAuditInput = z.object({
  entity: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(100).optional(),
  action: z.string().trim().max(100).optional(),
  adminUserId: z.uuid().optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

/** admin.audit — who changed what, when, with before/after. */
export const adminAuditRouter = createTRPCRouter({
  list: adminProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.db, input)),
});
