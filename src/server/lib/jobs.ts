import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";

/**
 * Every background task and its payload. The worker parses payloads with these same schemas before
 * doing anything (old jobs outlive code), and `enqueue` type-checks callers against them. Payloads
 * carry ids only: no names, emails or card data ever sit in the job table.
 */
export const jobPayloads = {
  send_email: z.object({ outboxId: z.uuid() }),
  process_stripe_event: z.object({ eventId: z.string().min(1).max(255) }),
  expire_hold: z.object({ bookingId: z.uuid() }),
  create_checkout_session: z.object({ bookingId: z.uuid() }),
  create_refund: z.object({ refundId: z.uuid() }),
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
 * only if the caller's transaction commits (DESIGN §1: `workerUtils.addJob` uses its own pool and is not
 * transactional).
 */
export async function enqueue<T extends TaskName>(
  db: DbOrTx,
  task: T,
  payload: JobPayload<T>,
  opts: EnqueueOptions = {},
): Promise<void> {
  const parsed = jobPayloads[task].parse(payload);
  await db.execute(sql`
    select graphile_worker.add_job(
      identifier => ${task}::text,
      payload => ${JSON.stringify(parsed)}::json,
      queue_name => ${opts.queueName ?? null}::text,
      run_at => ${opts.runAt?.toISOString() ?? null}::timestamptz,
      max_attempts => ${opts.maxAttempts ?? null}::int,
      job_key => ${opts.jobKey ?? null}::text,
      priority => ${opts.priority ?? null}::int,
      job_key_mode => ${opts.jobKeyMode ?? "replace"}::text
    )`);
}
