import { adminAuditRouter } from "./admin/audit";
import { adminAuthRouter } from "./admin/auth";
import { adminBookingsRouter } from "./admin/bookings";
import { adminCacheRouter } from "./admin/cache";
import { adminEmailsRouter } from "./admin/emails";
import { adminJobsRouter } from "./admin/jobs";
import { adminPricingRouter } from "./admin/pricing";
import { adminScheduleRouter } from "./admin/schedule";
import { createTRPCRouter } from "../trpc";

/**
 * Everything under `admin.*`. Every procedure is `adminProcedure` (session loaded from the database before
 * input is parsed) except `auth.login`; tests/admin/guard.test.ts walks this router to prove it.
 */
export const adminRouter = createTRPCRouter({
  auth: adminAuthRouter,
  schedule: adminScheduleRouter,
  pricing: adminPricingRouter,
  bookings: adminBookingsRouter,
  cache: adminCacheRouter,
  emails: adminEmailsRouter,
  jobs: adminJobsRouter,
  audit: adminAuditRouter,
});
