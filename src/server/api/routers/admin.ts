import { adminAuditRouter } from "./admin/audit";
import { adminAuthRouter } from "./admin/auth";
import { adminBookingsRouter } from "./admin/bookings";
import { adminCacheRouter } from "./admin/cache";
import { adminCheckinRouter } from "./admin/checkin";
import { adminEmailsRouter } from "./admin/emails";
import { adminJobsRouter } from "./admin/jobs";
import { adminOperatorsRouter } from "./admin/operators";
import { adminOperationsRouter } from "./admin/operations";
import { adminPricingRouter } from "./admin/pricing";
import { adminScheduleRouter } from "./admin/schedule";
import { adminUsersRouter } from "./admin/users";
import { createTRPCRouter } from "../trpc";

/**
 * Everything under `admin.*`. Every procedure is `adminProcedure` (an admin's session, loaded from the
 * database before input is parsed) except `auth.login` (public) and the few any staff member may call
 * (`staffProcedure`: their own session, the check-in page); tests/admin/guard.test.ts walks this router
 * to prove it, role by role.
 */
export const adminRouter = createTRPCRouter({
  auth: adminAuthRouter,
  schedule: adminScheduleRouter,
  pricing: adminPricingRouter,
  bookings: adminBookingsRouter,
  cache: adminCacheRouter,
  emails: adminEmailsRouter,
  jobs: adminJobsRouter,
  operations: adminOperationsRouter,
  audit: adminAuditRouter,
  users: adminUsersRouter,
  checkin: adminCheckinRouter,
  operators: adminOperatorsRouter,
});
