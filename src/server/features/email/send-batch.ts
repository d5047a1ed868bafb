import { setTimeout as sleep } from "node:timers/promises";
import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { CreateBatchOptions } from "resend";
import { emailOutbox } from "@/server/db/schema/email";
import { loadBookingViews } from "@/server/features/tickets/load-booking";
import { enqueue } from "@/server/lib/jobs";
import { memoKey } from "@/server/lib/memo";
import { inSpan, SpanKind } from "@/server/lib/tracing";
import type { Services } from "@/server/services";
import { BATCH_QUEUE, batchJobKey, type EmailKind } from "./outbox";
import { EmailRenderError, type RenderedEmail, renderEmail } from "./render";
import {
  handleFailure,
  markFailed,
  observeDelivery,
  type OutboxRow,
  type SendOptions,
  type SendResult,
  toResendEmail,
} from "./send";
import { classifyResendError, GIVE_UP_AFTER_MS } from "./send-policy";

/** The batch path: mass notices, ≤ 100 emails per request, paced to Resend's rate limit. */

/** When this process last called the batch endpoint; see the pacing note in sendOutboxBatch. */
const PACING = memoKey("email.batchPacing", () => ({ lastRequestAt: 0 }));

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
  svc: Services,
  outboxIds: string[],
  opts: SendOptions = {},
): Promise<SendResult> {
  const { db, log } = svc;
  const pacing = svc.memo.get(PACING);
  const transport = svc.email;
  const interval = batchIntervalMs(transport.requestsPerSecond);
  const sorted = [...new Set(outboxIds)].sort();
  const rows = (await db.select().from(emailOutbox).where(inArray(emailOutbox.id, sorted))).filter(
    (r) => r.status === "QUEUED",
  );
  rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  if (rows.length === 0) return { outcome: "skipped", status: "NOTHING_QUEUED" };

  const now = svc.clock.now().getTime();
  const tooOld = rows.filter((r) => now - r.createdAt.getTime() > GIVE_UP_AFTER_MS);
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
  const wait = pacing.lastRequestAt + interval - Date.now();
  if (wait > 0) await sleep(wait);
  const requestStart = Date.now();
  pacing.lastRequestAt = requestStart;
  try {
    const payload: CreateBatchOptions = ready.map(({ row, email }) => {
      const { attachments: _none, ...single } = toResendEmail(row, transport.from, email);
      return single;
    });
    const { data, error, headers } = await inSpan(
      "resend.batch.send",
      { kind: SpanKind.CLIENT, attributes: { "email.count": payload.length } },
      () =>
        transport.resend.batch
          .send(payload, {
            idempotencyKey: key,
            batchValidation: "permissive" as const,
            signal: AbortSignal.timeout(transport.timeoutMs * 3),
          })
          .catch((e: unknown) => ({
            data: null,
            error: { name: "timeout", message: e instanceof Error ? e.message : "aborted", statusCode: null },
            headers: null,
          })),
    );

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
          const sent = await tx
            .update(emailOutbox)
            .set({
              status: "SENT",
              providerId,
              attempts: sql`${emailOutbox.attempts} + 1`,
              lastError: null,
              sentAt: sql`now()`,
              updatedAt: sql`now()`,
            })
            .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, "QUEUED")))
            .returning({
              kind: emailOutbox.kind,
              createdAt: emailOutbox.createdAt,
              sentAt: emailOutbox.sentAt,
            });
          observeDelivery(sent);
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
    return await handleFailure(svc, readyRows, failure, {
      ...opts,
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
