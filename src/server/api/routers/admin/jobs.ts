import { failedJobs, failedJobsInput, jobIdInput, jobStats, retryJob } from "@/server/features/jobs/queue";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import { adminAction } from "./actions";

/** admin.jobs — the graphile-worker queue. */
export const adminJobsRouter = createTRPCRouter({
  stats: adminProcedure.query(({ ctx }) => jobStats(ctx.svc)),
  failed: adminProcedure.input(failedJobsInput).query(({ ctx, input }) => failedJobs(ctx.svc, input)),
  retry: adminAction(jobIdInput, retryJob),
});
