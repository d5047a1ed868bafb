import { adminUserInput, listAdmins, logoutEverywhere, unlockAdmin } from "@/server/features/auth/admins";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import { adminAction } from "./actions";

/** admin.users — the admin accounts: roles, last sign-in, sign-in delays; unlock and sign out everywhere. */
export const adminUsersRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listAdmins(ctx.svc)),
  /** Ends every sign-in delay on the account (a stranger's failures included). Audited. */
  unlock: adminAction(adminUserInput, unlockAdmin),
  /** Ends every session of that admin on every device. Audited. */
  logoutEverywhere: adminAction(adminUserInput, logoutEverywhere),
});
