import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { currentTraceparent } from "./tracing";

/**
 * Every background task and its payload. The worker parses payloads with these same schemas before
 * doing anything (old jobs outlive code), and `enqueue` type-checks callers against them. Payloads
 * carry ids only: no names, emails or card data ever sit in the job table. `enqueue` adds the W3C
 * `traceparent` of the active span when tracing is on (two random ids), which the schemas strip again:
 * worker/define-task.ts reads it to continue the trace.
 */
export const jobPayloads = {
  send_email: z.object({ outboxId: z.uuid() }),
  /** Mass notices go through Resend's batch endpoint, at most 100 per request. */
  send_email_batch: z.object({ outboxIds: z.array(z.uuid()).min(1).max(100) }),
  /** Cron: queue the 24-hours-before-departure reminders that are due. */
  send_departure_reminders: z.object({}),
  process_stripe_event: z.object({ eventId: z.string().min(1).max(255) }),
  expire_hold: z.object({ bookingId: z.uuid() }),
  /** Cron backstop for expire_hold: releases every hold that is past its end. */
  expire_holds_sweep: z.object({}),
  expire_checkout_session: z.object({ paymentId: z.uuid() }),
  create_refund: z.object({ refundId: z.uuid() }),
  /** Cron: read every connected operator's change feed and invalidate what changed. */
  sync_operator_changes: z.object({}),
  /**
   * Lets go of a connected operator's booking made under our agent reference that no live booking of ours
   * owns (a hold that timed out, a trip whose other leg failed, an expired or cancelled unpaid booking):
   * RecallBooking, then CancelBooking whatever exists.
   */
  release_operator_hold: z.object({
    operator: z.string().regex(/^[A-Z]{3}$/),
    agentReference: z.string().regex(/^[A-Z0-9-]{3,40}$/),
  }),
  /** After payment: confirms every connected leg at its operator, then the booking (or refunds it). */
  confirm_operator_booking: z.object({
    bookingId: z.uuid(),
    /** Give up on transient errors after this instant (ISO): then refund in full. */
    until: z.iso.datetime(),
  }),
  /** A connected operator cancelled one of its sailings: notices and full refunds, as for own sailings. */
  operator_sailing_cancelled: z.object({
    operator: z.string().regex(/^[A-Z]{3}$/),
    operatorSailingId: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/),
  }),
  /** Used by tests and health checks: proves the queue round-trips. */
  noop: z.object({ note: z.string().max(200).optional() }),
} as const;

export type TaskName = keyof typeof jobPayloads;
export type JobPayload<T extends TaskName> = z.input<(typeof jobPayloads)[T]>;

export interface EnqueueOptions {
  runAt?: Date;
  /** Deduplicates: a second job with the same key replaces (or, with mode, is merged into) the first. */
  jobKey?: string;
  jobKeyMode?: "replace" | "preserve_run_at" | "unsafe_dedupe";
  maxAttempts?: number;
  queueName?: string;
  priority?: number;
}

/**
 * Adds a graphile-worker job through the caller's connection or transaction, so the job exists if and
 * only if the caller's transaction commits (`workerUtils.addJob` uses its own pool and is not
 * transactional).
 */
export async function enqueue<T extends TaskName>(
  db: DbOrTx,
  task: T,
  payload: JobPayload<T>,
  opts: EnqueueOptions = {},
): Promise<void> {
  await addJobStatement(db, task, payload, opts);
}

/** `enqueue`'s statement, not started: for `inOrder` (src/server/db/pipeline.ts). */
export function addJobStatement<T extends TaskName>(
  db: DbOrTx,
  task: T,
  payload: JobPayload<T>,
  opts: EnqueueOptions = {},
) {
  const parsed = jobPayloads[task].parse(payload);
  const traceparent = currentTraceparent();
  const stored = traceparent ? { ...parsed, traceparent } : parsed;
  return db.execute(sql`
    select graphile_worker.add_job(
      identifier => ${task}::text,
      payload => ${JSON.stringify(stored)}::json,
      queue_name => ${opts.queueName ?? null}::text,
      run_at => ${opts.runAt?.toISOString() ?? null}::timestamptz,
      max_attempts => ${opts.maxAttempts ?? null}::int,
      job_key => ${opts.jobKey ?? null}::text,
      priority => ${opts.priority ?? null}::int,
      job_key_mode => ${opts.jobKeyMode ?? "replace"}::text
    )`);
}
