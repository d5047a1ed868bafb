import { failedJobs, failedJobsInput, jobIdInput, jobStats, retryJob } from "@/server/features/jobs/queue";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.jobs — the graphile-worker queue. */
export const adminJobsRouter = createTRPCRouter({
  stats: adminProcedure.query(({ ctx }) => jobStats(ctx.svc)),
  failed: adminProcedure.input(failedJobsInput).query(({ ctx, input }) => failedJobs(ctx.svc, input)),
  retry: adminProcedure.input(jobIdInput).mutation(({ ctx, input }) => retryJob(ctx.svc, ctx.actor, input)),
});
