import {
  adminResendEmail,
  listEmails,
  listEmailsInput,
  outboxIdInput,
} from "@/server/features/email/admin-outbox";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import { adminAction } from "./actions";

/** admin.emails — the outbox. */
export const adminEmailsRouter = createTRPCRouter({
  /** `recipient` is (part of) an email address: POST only. */
  list: adminProcedure
    .meta({ sensitiveInput: true })
    .input(listEmailsInput)
    .query(({ ctx, input }) => listEmails(ctx.svc, input)),
  resend: adminAction(outboxIdInput, adminResendEmail),
});
