import { adminResendEmail, outboxIdInput } from "@/server/features/admin/bookings";
import { listEmails, listEmailsInput } from "@/server/features/admin/operations";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.emails — the outbox. */
export const adminEmailsRouter = createTRPCRouter({
  /** `recipient` is (part of) an email address: POST only. */
  list: adminProcedure
    .meta({ sensitiveInput: true })
    .input(listEmailsInput)
    .query(({ ctx, input }) => listEmails(ctx.db, input)),
  resend: adminProcedure
    .input(outboxIdInput)
    .mutation(({ ctx, input }) => adminResendEmail(ctx, { userId: ctx.admin.userId }, input.outboxId)),
});
