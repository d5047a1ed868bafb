import { and, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/server/db/client";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox, emailStatuses } from "@/server/db/schema/email";
import { portCode } from "@/server/lib/inputs";
import type { Cache, CacheStats } from "@/server/features/cache/cache";
import { AppError } from "@/server/lib/errors";
import { type AdminActor, writeAudit } from "./audit";
import { likeEscape, type Page, pageOf } from "@/server/lib/paging";

/** The cache, email outbox and job queue panels (issue 6 "Operations"). */

// ---- cache ----------------------------------------------------------------------------------------

export const clearRouteInput = z.object({ from: portCode, to: portCode });

export async function cacheStats(cache: Cache): Promise<CacheStats> {
  return cache.stats();
}

/**
 * Cache clears change no data, but they are admin actions worth seeing in the log (a clear-all costs every
 * search a Postgres round trip for a while), so they are audited like changes.
 */
export async function clearRouteCache(
  deps: { db: Db; cache: Cache },
  actor: AdminActor,
  input: z.infer<typeof clearRouteInput>,
) {
  await deps.cache.invalidateRoute(input.from, input.to);
  await writeAudit(deps.db, {
    adminUserId: actor.userId,
    action: "cache.clearRoute",
    entity: "cache",
    entityId: `${input.from}-${input.to}`,
    after: { enabled: deps.cache.enabled },
  });
  return { cleared: `${input.from}-${input.to}`, enabled: deps.cache.enabled };
}

export async function clearAllCache(deps: { db: Db; cache: Cache }, actor: AdminActor) {
  await deps.cache.clearAll();
  await writeAudit(deps.db, {
    adminUserId: actor.userId,
    action: "cache.clearAll",
    entity: "cache",
    entityId: "*",
    after: { enabled: deps.cache.enabled },
  });
  return { cleared: "*", enabled: deps.cache.enabled };
}

// ---- email outbox ----------------------------------------------------------------------------------

export const listEmailsInput = z.object({
  status: z.enum(emailStatuses).optional(),
  kind: z.string().trim().max(50).optional(),
  /** Part of the recipient's address. */
  recipient: z.string().trim().max(200).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

export interface OutboxItem {
  id: string;
  kind: string;
  status: (typeof emailStatuses)[number];
  recipient: string;
  locale: string;
  attempts: number;
  lastError: string | null;
  providerId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  updatedAt: Date;
  booking: { id: string; reference: string } | null;
}

/** The outbox, newest first, filtered by status, kind and recipient. */
export async function listEmails(
  db: DbOrTx,
  input: z.infer<typeof listEmailsInput>,
): Promise<Page<OutboxItem> & { counts: Record<string, number> }> {
  const filters: SQL[] = [];
  if (input.status) filters.push(eq(emailOutbox.status, input.status));
  if (input.kind) filters.push(eq(emailOutbox.kind, input.kind));
  if (input.recipient) {
    filters.push(sql`${emailOutbox.recipient} ilike ${`%${likeEscape(input.recipient)}%`}`);
  }
  const where = filters.length ? and(...filters) : undefined;
  const { limit, offset } = pageOf(input);
  const [rows, [total], byStatus] = await Promise.all([
    db
      .select({ e: emailOutbox, reference: bookings.reference })
      .from(emailOutbox)
      .leftJoin(bookings, eq(bookings.id, emailOutbox.bookingId))
      .where(where)
      .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(emailOutbox).where(where),
    db.select({ status: emailOutbox.status, n: count() }).from(emailOutbox).groupBy(emailOutbox.status),
  ]);
  return {
    items: rows.map(({ e, reference }) => ({
      id: e.id,
      kind: e.kind,
      status: e.status,
      recipient: e.recipient,
      locale: e.locale,
      attempts: e.attempts,
      lastError: e.lastError,
      providerId: e.providerId,
      createdAt: e.createdAt,
      sentAt: e.sentAt,
      updatedAt: e.updatedAt,
      booking: e.bookingId && reference ? { id: e.bookingId, reference } : null,
    })),
    total: total?.n ?? 0,
    page: input.page,
    pageSize: limit,
    counts: Object.fromEntries(emailStatuses.map((s) => [s, byStatus.find((b) => b.status === s)?.n ?? 0])),
  };
}

// ---- job queue ----------------------------------------------------------------------------------------

export const failedJobsInput = z.object({
  task: z.string().trim().max(100).optional(),
  /** Also list jobs that failed at least once but will be retried. */
  includeRetrying: z.boolean().default(false),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
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

/** Queue depth per task, from graphile-worker's own tables (no extra bookkeeping to drift). */
export async function jobStats(
  db: DbOrTx,
): Promise<{ tasks: JobStatsRow[]; totals: Omit<JobStatsRow, "task"> }> {
  const rows = await db.execute<{
    task: string;
    ready: number;
    scheduled: number;
    running: number;
    failed: number;
  }>(sql`
    select t.identifier as task,
      count(*) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at <= now())::int as ready,
      count(*) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at > now())::int as scheduled,
      count(*) filter (where j.locked_at is not null)::int as running,
      count(*) filter (where j.attempts >= j.max_attempts)::int as failed
    from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    group by t.identifier
    order by t.identifier`);
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
  /** Ids only by design (lib/jobs.ts): safe to show. */
  payload: unknown;
  key: string | null;
  runAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** Jobs that ran out of attempts (and optionally those still retrying), with graphile-worker's last error. */
export async function failedJobs(
  db: DbOrTx,
  input: z.infer<typeof failedJobsInput>,
): Promise<Page<FailedJob>> {
  const { limit, offset } = pageOf(input);
  const cond = sql`(j.attempts >= j.max_attempts ${input.includeRetrying ? sql`or (j.attempts > 0 and j.last_error is not null)` : sql``})
    ${input.task ? sql`and t.identifier = ${input.task}` : sql``}`;
  const [rows, totalRows] = await Promise.all([
    db.execute<{
      id: string;
      task: string;
      queue: string | null;
      attempts: number;
      max_attempts: number;
      last_error: string | null;
      payload: unknown;
      key: string | null;
      run_at: string;
      created_at: string;
      updated_at: string;
    }>(sql`
      select j.id::text as id, t.identifier as task, q.queue_name as queue, j.attempts, j.max_attempts,
        j.last_error, j.payload, j.key, j.run_at, j.created_at, j.updated_at
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
      where ${cond}
      order by j.updated_at desc, j.id desc
      limit ${limit} offset ${offset}`),
    db.execute<{ n: number }>(sql`
      select count(*)::int as n from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where ${cond}`),
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
      payload: r.payload,
      key: r.key,
      runAt: new Date(r.run_at),
      createdAt: new Date(r.created_at),
      updatedAt: new Date(r.updated_at),
    })),
    total: Number([...totalRows][0]?.n ?? 0),
    page: input.page,
    pageSize: limit,
  };
}

/**
 * Runs a failed (or backing-off) job again now with a fresh set of attempts. Safe because every task is
 * idempotent (DESIGN §1). A job a worker is running right now is left alone.
 */
export async function retryJob(deps: { db: Db }, actor: AdminActor, input: z.infer<typeof jobIdInput>) {
  return deps.db.transaction(async (tx) => {
    const found = await tx.execute<{
      id: string;
      task: string;
      attempts: number;
      max_attempts: number;
      locked_at: string | null;
      last_error: string | null;
    }>(sql`
      select j.id::text as id, t.identifier as task, j.attempts, j.max_attempts, j.locked_at, j.last_error
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where j.id = ${input.jobId}::bigint
      for update of j`);
    const job = [...found][0];
    if (!job) throw new AppError("NOT_FOUND", "This job does not exist any more (it may have completed).");
    if (job.locked_at) throw new AppError("CONFLICT", "A worker is running this job right now.");
    await tx.execute(
      sql`select id from graphile_worker.reschedule_jobs(array[${input.jobId}::bigint], run_at => now(), attempts => 0)`,
    );
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
