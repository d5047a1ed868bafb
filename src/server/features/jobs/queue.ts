import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { AppError } from "@/server/lib/errors";
import { type Page, pageOf, pageInputFields } from "@/server/lib/paging";
import type { Services } from "@/server/services";

/**
 * The admin jobs panel: the graphile-worker queue, read through its public `graphile_worker.jobs` view and
 * changed only through its documented functions (`reschedule_jobs`), never its private tables, whose
 * layout graphile-worker changes between versions without notice.
 */

export const failedJobsInput = z.object({
  task: z.string().trim().max(100).optional(),
  /** Also list jobs that failed at least once but will be retried. */
  includeRetrying: z.boolean().default(false),
  ...pageInputFields,
});

export const jobIdInput = z.object({
  /** graphile-worker job ids are bigints; sent as a string so no precision is lost in JSON. */
  jobId: z.string().regex(/^\d{1,19}$/, "That is not a job id."),
});

export interface JobStatsRow {
  task: string;
  /** Waiting to run now. */
  ready: number;
  /** Waiting for a later run_at (holds to expire, retries backing off). */
  scheduled: number;
  running: number;
  /** Out of attempts: will not run again unless retried. */
  failed: number;
}

/** Queue depth per task, from graphile-worker's own view (no extra bookkeeping to drift). */
export async function jobStats(
  svc: Services,
): Promise<{ tasks: JobStatsRow[]; totals: Omit<JobStatsRow, "task"> }> {
  const rows = await svc.db.execute<{
    task: string;
    ready: number;
    scheduled: number;
    running: number;
    failed: number;
  }>(sql`
    select j.task_identifier as task,
      count(*) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at <= now())::int as ready,
      count(*) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at > now())::int as scheduled,
      count(*) filter (where j.locked_at is not null)::int as running,
      count(*) filter (where j.attempts >= j.max_attempts)::int as failed
    from graphile_worker.jobs j
    group by j.task_identifier
    order by j.task_identifier`);
  const tasks = [...rows].map((r) => ({
    task: r.task,
    ready: Number(r.ready),
    scheduled: Number(r.scheduled),
    running: Number(r.running),
    failed: Number(r.failed),
  }));
  const totals = tasks.reduce(
    (a, r) => ({
      ready: a.ready + r.ready,
      scheduled: a.scheduled + r.scheduled,
      running: a.running + r.running,
      failed: a.failed + r.failed,
    }),
    { ready: 0, scheduled: 0, running: 0, failed: 0 },
  );
  return { tasks, totals };
}

export interface FailedJob {
  id: string;
  task: string;
  queue: string | null;
  state: "FAILED" | "RETRYING";
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  /**
   * The job key: for every per-item task it names the item (`email:<outbox id>`, `refund:<refund id>`,
   * `hold:<booking id>`, `stripe:<event id>`). The public view does not carry payloads.
   */
  key: string | null;
  runAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** Jobs that ran out of attempts (and optionally those still retrying), with graphile-worker's last error. */
export async function failedJobs(
  svc: Services,
  input: z.input<typeof failedJobsInput>,
): Promise<Page<FailedJob>> {
  const { limit, offset } = pageOf(input);
  const cond = sql`(j.attempts >= j.max_attempts ${input.includeRetrying ? sql`or (j.attempts > 0 and j.last_error is not null)` : sql``})
    ${input.task ? sql`and j.task_identifier = ${input.task}` : sql``}`;
  const [rows, totalRows] = await Promise.all([
    svc.db.execute<{
      id: string;
      task: string;
      queue: string | null;
      attempts: number;
      max_attempts: number;
      last_error: string | null;
      key: string | null;
      run_at: string;
      created_at: string;
      updated_at: string;
    }>(sql`
      select j.id::text as id, j.task_identifier as task, j.queue_name as queue, j.attempts, j.max_attempts,
        j.last_error, j.key, j.run_at, j.created_at, j.updated_at
      from graphile_worker.jobs j
      where ${cond}
      order by j.updated_at desc, j.id desc
      limit ${limit} offset ${offset}`),
    svc.db.execute<{ n: number }>(sql`
      select count(*)::int as n from graphile_worker.jobs j where ${cond}`),
  ]);
  return {
    items: [...rows].map((r) => ({
      id: r.id,
      task: r.task,
      queue: r.queue,
      state: r.attempts >= r.max_attempts ? "FAILED" : "RETRYING",
      attempts: Number(r.attempts),
      maxAttempts: Number(r.max_attempts),
      lastError: r.last_error,
      key: r.key,
      runAt: new Date(r.run_at),
      createdAt: new Date(r.created_at),
      updatedAt: new Date(r.updated_at),
    })),
    total: Number([...totalRows][0]?.n ?? 0),
    page: input.page ?? 1,
    pageSize: limit,
  };
}

/**
 * Runs a failed (or backing-off) job again now with a fresh set of attempts. Safe because every task is
 * idempotent. A job a worker is running right now is left alone: `reschedule_jobs` itself skips locked
 * jobs, so a worker that takes the job between our read and our change wins, and the admin is told.
 */
export async function retryJob(svc: Services, actor: Actor, input: z.infer<typeof jobIdInput>) {
  return svc.db.transaction(async (tx) => {
    const found = await tx.execute<{
      id: string;
      task: string;
      attempts: number;
      max_attempts: number;
      locked_at: string | null;
      last_error: string | null;
    }>(sql`
      select j.id::text as id, j.task_identifier as task, j.attempts, j.max_attempts, j.locked_at, j.last_error
      from graphile_worker.jobs j
      where j.id = ${input.jobId}::bigint`);
    const job = [...found][0];
    if (!job) throw new AppError("NOT_FOUND", "This job does not exist any more (it may have completed).");
    const busy = () => new AppError("CONFLICT", "A worker is running this job right now.");
    if (job.locked_at) throw busy();
    const rescheduled = await tx.execute<{ id: string }>(
      sql`select id::text as id from graphile_worker.reschedule_jobs(array[${input.jobId}::bigint], run_at => now(), attempts => 0)`,
    );
    if ([...rescheduled].length === 0) throw busy();
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "jobs.retry",
      entity: "job",
      entityId: input.jobId,
      before: {
        task: job.task,
        attempts: job.attempts,
        maxAttempts: job.max_attempts,
        lastError: job.last_error,
      },
      after: { attempts: 0, runAt: "now" },
    });
    return { jobId: input.jobId, task: job.task, status: "QUEUED" as const };
  });
}
