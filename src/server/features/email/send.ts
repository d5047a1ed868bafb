import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { CreateBatchOptions, CreateEmailOptions } from "resend";
import type { Db } from "@/server/db/client";
import { emailOutbox } from "@/server/db/schema/email";
import { scrubText } from "@/server/lib/describe-error";
import { enqueue } from "@/server/lib/jobs";
import { log } from "@/server/lib/log";
import { loadBookingViews } from "@/server/features/tickets/load-booking";
import type { EmailKind } from "./outbox";
import { batchJobKey, BATCH_QUEUE, sendJobKey } from "./outbox";
import { EmailRenderError, type RenderedEmail, renderEmail } from "./render";
import { getEmailTransport, type EmailTransport } from "./resend-client";
import {
  classifyResendError,
  GIVE_UP_AFTER_MS,
  graphileBackoffMs,
  type ResendFailure,
  shouldGiveUp,
} from "./send-policy";

type OutboxRow = typeof emailOutbox.$inferSelect;

export interface SendOptions {
  transport?: EmailTransport;
  now?: () => Date;
  /** graphile-worker's attempt number for this job (1-based), to predict its next backoff. */
  jobAttempt?: number;
  /** True on the job's last graphile attempt: a transient failure then ends as FAILED, not a dead job. */
  lastJobAttempt?: boolean;
  /**
   * Test seam: runs after Resend accepted the email and before the outbox records it, which is exactly
   * where a killed worker leaves things. Throwing here simulates the kill.
   */
  afterProviderAccepted?: (outboxIds: string[]) => void | Promise<void>;
}

export type SendResult =
  | { outcome: "sent"; providerId: string | null }
  | { outcome: "skipped"; status: string }
  | { outcome: "failed"; error: string }
  | { outcome: "rescheduled"; runAt: Date };

/** Thrown for 5xx and network errors so graphile-worker retries the job with its exponential backoff. */
export class TransientEmailError extends Error {
  override name = "TransientEmailError";
}

function toResendEmail(row: OutboxRow, from: string, email: RenderedEmail): CreateEmailOptions {
  return {
    from,
    to: [row.recipient],
    subject: email.subject,
    html: email.html,
    text: email.text,
    // Tags show up in Resend's dashboard and webhooks: ids and kinds only, never personal data.
    tags: [
      { name: "kind", value: row.kind },
      { name: "outbox_id", value: row.id },
    ],
    ...(email.attachments.length > 0
      ? {
          attachments: email.attachments.map((a) => ({
            filename: a.filename,
            content: a.content,
            contentType: a.contentType,
            contentId: a.contentId,
          })),
        }
      : {}),
  };
}

async function markFailed(db: Db, ids: string[], error: string, countAttempt: boolean): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(emailOutbox)
    .set({
      status: "FAILED",
      lastError: error.slice(0, 2000),
      attempts: countAttempt ? sql`${emailOutbox.attempts} + 1` : emailOutbox.attempts,
      updatedAt: sql`now()`,
    })
    .where(and(inArray(emailOutbox.id, ids), eq(emailOutbox.status, "QUEUED")));
}

async function renderRow(db: Db, row: OutboxRow): Promise<RenderedEmail> {
  const views = row.bookingId ? await loadBookingViews(db, [row.bookingId]) : new Map();
  return renderEmail({
    kind: row.kind as EmailKind,
    locale: row.locale,
    data: row.data,
    booking: row.bookingId ? (views.get(row.bookingId) ?? null) : null,
  });
}

/**
 * Sends one outbox email (DESIGN §4 "Email"). Safe to run any number of times for the same row: a SENT
 * or FAILED row is left alone, and every request carries `Idempotency-Key: <outbox id>`, so a retry after
 * a crash between Resend's answer and our update gets the first email's id back instead of a second email.
 */
export async function sendOutboxEmail(db: Db, outboxId: string, opts: SendOptions = {}): Promise<SendResult> {
  const now = opts.now ?? (() => new Date());
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, outboxId));
  if (!row) {
    // The booking was deleted (cascade): nothing to send, and retrying will not bring it back.
    log.warn("email outbox row not found", { outboxId });
    return { outcome: "skipped", status: "MISSING" };
  }
  if (row.status !== "QUEUED") return { outcome: "skipped", status: row.status };

  const age = now().getTime() - row.createdAt.getTime();
  if (age > GIVE_UP_AFTER_MS) {
    const error = `Gave up after ${row.attempts} attempts: queued more than 23 h ago, outside Resend's idempotency window. Last error: ${row.lastError ?? "none"}`;
    await markFailed(db, [row.id], error, false);
    log.warn("email gave up", { outboxId, kind: row.kind, attempts: row.attempts });
    return { outcome: "failed", error };
  }

  let email: RenderedEmail;
  try {
    email = await renderRow(db, row);
  } catch (e) {
    if (!(e instanceof EmailRenderError)) throw e;
    await markFailed(db, [row.id], `Cannot render: ${e.message}`, false);
    log.error("email cannot render", { outboxId, kind: row.kind });
    return { outcome: "failed", error: e.message };
  }

  const transport = opts.transport ?? getEmailTransport();
  const started = performance.now();
  const { data, error, headers } = await transport.resend.emails
    .send(toResendEmail(row, transport.from, email), {
      idempotencyKey: row.id,
      // The SDK has no timeout of its own; a hung connection would hold the job for ever.
      signal: AbortSignal.timeout(transport.timeoutMs),
    })
    // Only an abort escapes the SDK as an exception; it is a network error like any other.
    .catch((e: unknown) => ({
      data: null,
      error: { name: "timeout", message: e instanceof Error ? e.message : "aborted", statusCode: null },
      headers: null,
    }));
  const ms = Math.round(performance.now() - started);

  if (data && !error) {
    await opts.afterProviderAccepted?.([row.id]);
    await db
      .update(emailOutbox)
      .set({
        status: "SENT",
        providerId: data.id,
        attempts: sql`${emailOutbox.attempts} + 1`,
        lastError: null,
        sentAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, "QUEUED")));
    log.info("email sent", { outboxId, kind: row.kind, providerId: data.id, ms });
    return { outcome: "sent", providerId: data.id };
  }

  const failure = classifyResendError(error ?? { message: "empty response", statusCode: null }, headers);
  return handleFailure(db, [row], failure, {
    ...opts,
    now,
    reschedule: (tx, runAt) =>
      enqueue(tx, "send_email", { outboxId: row.id }, { jobKey: sendJobKey(row.id), runAt, maxAttempts: 25 }),
  });
}

async function handleFailure(
  db: Db,
  rows: OutboxRow[],
  failure: ResendFailure,
  opts: SendOptions & {
    now: () => Date;
    reschedule: (tx: Parameters<Parameters<Db["transaction"]>[0]>[0], runAt: Date) => Promise<void>;
  },
): Promise<SendResult> {
  const ids = rows.map((r) => r.id);
  const fields = { outboxIds: ids.length === 1 ? ids[0] : ids.length, error: scrubText(failure.message) };
  if (failure.kind === "permanent") {
    await markFailed(db, ids, failure.message, true);
    log.error("email rejected by Resend", fields);
    return { outcome: "failed", error: failure.message };
  }
  if (failure.kind === "already_accepted") {
    await db
      .update(emailOutbox)
      .set({
        status: "SENT",
        attempts: sql`${emailOutbox.attempts} + 1`,
        lastError: `Accepted by an earlier attempt under the same idempotency key (${failure.message})`,
        sentAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(inArray(emailOutbox.id, ids), eq(emailOutbox.status, "QUEUED")));
    log.warn("email already accepted under its idempotency key", fields);
    return { outcome: "sent", providerId: null };
  }

  const now = opts.now();
  const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
  const createdAt = new Date(Math.min(...rows.map((r) => r.createdAt.getTime())));
  const nextDelayMs =
    failure.kind === "rate_limited" ? failure.retryAfterMs : graphileBackoffMs(opts.jobAttempt ?? 1);
  if (
    shouldGiveUp({
      jobAttempt: opts.jobAttempt ?? 1,
      createdAt,
      now,
      nextDelayMs,
      rateLimited: failure.kind === "rate_limited",
    }) ||
    (failure.kind === "transient" && opts.lastJobAttempt)
  ) {
    const error = `Gave up after ${attempts} attempts: ${failure.message}`;
    await markFailed(db, ids, error, true);
    log.error("email gave up", fields);
    return { outcome: "failed", error };
  }

  const record = (tx: Db | Parameters<Parameters<Db["transaction"]>[0]>[0]) =>
    tx
      .update(emailOutbox)
      .set({ attempts: sql`${emailOutbox.attempts} + 1`, lastError: failure.message, updatedAt: sql`now()` })
      .where(and(inArray(emailOutbox.id, ids), eq(emailOutbox.status, "QUEUED")));

  if (failure.kind === "rate_limited") {
    // graphile-worker's own retry would ignore retry-after (it always waits exp(attempts) s), so the
    // job re-adds itself under its own key with run_at = now + retry-after and ends successfully. For a
    // running (locked) job add_job clears the old job's key and gives it no further attempts, so exactly
    // one job remains; doing it in the same transaction as the attempt count keeps both or neither.
    // A little jitter stops every rescheduled job from hitting the limit again in the same millisecond.
    const runAt = new Date(now.getTime() + failure.retryAfterMs + Math.floor(Math.random() * 250));
    await db.transaction(async (tx) => {
      await record(tx);
      await opts.reschedule(tx, runAt);
    });
    log.warn("email rate limited, rescheduled", { ...fields, runAt: runAt.toISOString() });
    return { outcome: "rescheduled", runAt };
  }

  await record(db);
  log.warn("email attempt failed, will retry", fields);
  throw new TransientEmailError(failure.message);
}

// ---------------------------------------------------------------------------------------------------
// Batch path: mass notices, ≤ 100 emails per request, paced to Resend's rate limit.

/** When this process last called the batch endpoint; see the pacing note in sendOutboxBatch. */
let lastBatchRequestAt = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Minimum spacing between batch requests. 5 % over 1/rate absorbs network jitter: two requests sent
 * exactly 1/rate apart can arrive closer than that and trip a sliding-window limiter.
 */
export function batchIntervalMs(requestsPerSecond: number): number {
  return Math.ceil((1000 / requestsPerSecond) * 1.05);
}

/** Deterministic per set of rows, so a retried batch is recognised by Resend as the same request. */
function batchIdempotencyKey(ids: string[]): string {
  return `batch:${createHash("sha256")
    .update([...ids].sort().join(","))
    .digest("base64url")}`;
}

/**
 * Sends up to 100 queued outbox emails in one `POST /emails/batch`.
 *
 * Pacing: batch jobs run on one named graphile-worker queue, so across every worker process only one runs
 * at a time. Each job holds the queue until 1/rate has passed since its request started, so the next
 * job — on any process — cannot call Resend sooner, and the configured rate holds without shared state.
 *
 * Permissive validation: one malformed address must not hold back the 99 others; it is marked FAILED on
 * its own with Resend's message.
 */
export async function sendOutboxBatch(
  db: Db,
  outboxIds: string[],
  opts: SendOptions = {},
): Promise<SendResult> {
  const now = opts.now ?? (() => new Date());
  const transport = opts.transport ?? getEmailTransport();
  const interval = batchIntervalMs(transport.requestsPerSecond);
  const sorted = [...new Set(outboxIds)].sort();
  const rows = (await db.select().from(emailOutbox).where(inArray(emailOutbox.id, sorted))).filter(
    (r) => r.status === "QUEUED",
  );
  rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  if (rows.length === 0) return { outcome: "skipped", status: "NOTHING_QUEUED" };

  const tooOld = rows.filter((r) => now().getTime() - r.createdAt.getTime() > GIVE_UP_AFTER_MS);
  if (tooOld.length > 0) {
    await markFailed(
      db,
      tooOld.map((r) => r.id),
      "Gave up: queued more than 23 h ago, outside Resend's idempotency window",
      false,
    );
  }
  const bookingIds = [...new Set(rows.map((r) => r.bookingId).filter((id): id is string => id !== null))];
  const views = await loadBookingViews(db, bookingIds);
  const ready: { row: OutboxRow; email: RenderedEmail }[] = [];
  for (const row of rows) {
    if (tooOld.includes(row)) continue;
    try {
      const email = await renderEmail({
        kind: row.kind as EmailKind,
        locale: row.locale,
        data: row.data,
        booking: row.bookingId ? (views.get(row.bookingId) ?? null) : null,
      });
      if (email.attachments.length > 0) {
        throw new EmailRenderError(`${row.kind} has attachments, which the batch endpoint does not accept`);
      }
      ready.push({ row, email });
    } catch (e) {
      if (!(e instanceof EmailRenderError)) throw e;
      await markFailed(db, [row.id], `Cannot render: ${e.message}`, false);
      log.error("email cannot render", { outboxId: row.id, kind: row.kind });
    }
  }
  if (ready.length === 0) return { outcome: "failed", error: "nothing renderable in this batch" };

  const readyRows = ready.map((r) => r.row);
  const key = batchIdempotencyKey(readyRows.map((r) => r.id));
  // Same-process pacing (cheap and exact); the hold at the end covers other processes.
  const wait = lastBatchRequestAt + interval - Date.now();
  if (wait > 0) await sleep(wait);
  const requestStart = Date.now();
  lastBatchRequestAt = requestStart;
  try {
    const payload: CreateBatchOptions = ready.map(({ row, email }) => {
      const { attachments: _none, ...single } = toResendEmail(row, transport.from, email);
      return single;
    });
    const { data, error, headers } = await transport.resend.batch
      .send(payload, {
        idempotencyKey: key,
        batchValidation: "permissive" as const,
        signal: AbortSignal.timeout(transport.timeoutMs * 3),
      })
      .catch((e: unknown) => ({
        data: null,
        error: { name: "timeout", message: e instanceof Error ? e.message : "aborted", statusCode: null },
        headers: null,
      }));

    if (data && !error) {
      await opts.afterProviderAccepted?.(readyRows.map((r) => r.id));
      // Permissive mode: `data` lists the accepted emails in order, `errors` the rejected indices.
      const rejected = new Map((data.errors ?? []).map((e) => [e.index, e.message] as const));
      const ids = data.data ?? [];
      let next = 0;
      await db.transaction(async (tx) => {
        for (const [index, { row }] of ready.entries()) {
          const message = rejected.get(index);
          if (message !== undefined) {
            await tx
              .update(emailOutbox)
              .set({
                status: "FAILED",
                lastError: `422 validation_error: ${message}`,
                attempts: sql`${emailOutbox.attempts} + 1`,
                updatedAt: sql`now()`,
              })
              .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, "QUEUED")));
            continue;
          }
          const providerId = ids[next++]?.id ?? null;
          await tx
            .update(emailOutbox)
            .set({
              status: "SENT",
              providerId,
              attempts: sql`${emailOutbox.attempts} + 1`,
              lastError: null,
              sentAt: sql`now()`,
              updatedAt: sql`now()`,
            })
            .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, "QUEUED")));
        }
      });
      log.info("email batch sent", {
        emails: ready.length - rejected.size,
        rejected: rejected.size,
        ms: Date.now() - requestStart,
      });
      return { outcome: "sent", providerId: null };
    }

    const failure = classifyResendError(error ?? { message: "empty response", statusCode: null }, headers);
    return await handleFailure(db, readyRows, failure, {
      ...opts,
      now,
      reschedule: (tx, runAt) =>
        enqueue(
          tx,
          "send_email_batch",
          { outboxIds: sorted },
          { jobKey: batchJobKey(sorted), runAt, queueName: BATCH_QUEUE, maxAttempts: 25 },
        ),
    });
  } finally {
    const hold = requestStart + interval - Date.now();
    if (hold > 0) await sleep(hold);
  }
}
