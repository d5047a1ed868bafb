import { adminUserInput, listAdmins, logoutEverywhere, unlockAdmin } from "@/server/features/auth/admins";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.users — the admin accounts: roles, last sign-in, sign-in delays; unlock and sign out everywhere. */
export const adminUsersRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listAdmins(ctx.svc)),
  /** Ends every sign-in delay on the account (a stranger's failures included). Audited. */
  unlock: adminProcedure
    .input(adminUserInput)
    .mutation(({ ctx, input }) => unlockAdmin(ctx.svc, ctx.actor, input)),
  /** Ends every session of that admin on every device. Audited. */
  logoutEverywhere: adminProcedure
    .input(adminUserInput)
    .mutation(({ ctx, input }) => logoutEverywhere(ctx.svc, ctx.actor, input)),
});
