import {
  failedJobs,
  failedJobsInput,
  jobIdInput,
  jobStats,
  retryJob,
} from "@/server/features/admin/operations";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.jobs — the graphile-worker queue. */
export const adminJobsRouter = createTRPCRouter({
  stats: adminProcedure.query(({ ctx }) => jobStats(ctx.db)),
  failed: adminProcedure.input(failedJobsInput).query(({ ctx, input }) => failedJobs(ctx.db, input)),
  retry: adminProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) => retryJob(ctx, { userId: ctx.admin.userId }, input)),
});
