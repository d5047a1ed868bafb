import { and, eq, inArray, sql } from "drizzle-orm";
import type { CreateEmailOptions } from "resend";
import type { DbOrTx, Tx } from "@/server/db/client";
import { emailOutbox } from "@/server/db/schema/email";
import { loadBookingViews } from "@/server/features/tickets/load-booking";
import { scrubText } from "@/server/lib/describe-error";
import { enqueue } from "@/server/lib/jobs";
import { metrics, secondsBetween } from "@/server/lib/metrics";
import { inSpan, SpanKind } from "@/server/lib/tracing";
import type { Services } from "@/server/services";
import type { EmailKind } from "./outbox";
import { sendJobKey } from "./outbox";
import { EmailRenderError, type RenderedEmail, renderEmail } from "./render";
import {
  classifyResendError,
  GIVE_UP_AFTER_MS,
  graphileBackoffMs,
  type ResendFailure,
  shouldGiveUp,
} from "./send-policy";

export type OutboxRow = typeof emailOutbox.$inferSelect;

/** What the send job knows about itself, and a test seam. The transport and the clock come from `svc`. */
export interface SendOptions {
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

export function toResendEmail(row: OutboxRow, from: string, email: RenderedEmail): CreateEmailOptions {
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

export async function markFailed(
  db: DbOrTx,
  ids: string[],
  error: string,
  countAttempt: boolean,
): Promise<void> {
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

async function renderRow(db: DbOrTx, row: OutboxRow): Promise<RenderedEmail> {
  const views = row.bookingId ? await loadBookingViews(db, [row.bookingId]) : new Map();
  return renderEmail({
    kind: row.kind as EmailKind,
    locale: row.locale,
    data: row.data,
    booking: row.bookingId ? (views.get(row.bookingId) ?? null) : null,
  });
}

/**
 * Sends one outbox email through `svc.email`. Safe to run any number of times for the same row: a SENT or
 * FAILED row is left alone, and every request carries `Idempotency-Key: <outbox id>`, so a retry after a
 * crash between Resend's answer and our update gets the first email's id back instead of a second email.
 */
export async function sendOutboxEmail(
  svc: Services,
  outboxId: string,
  opts: SendOptions = {},
): Promise<SendResult> {
  const { db, log } = svc;
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, outboxId));
  if (!row) {
    // The booking was deleted (cascade): nothing to send, and retrying will not bring it back.
    log.warn("email outbox row not found", { outboxId });
    return { outcome: "skipped", status: "MISSING" };
  }
  if (row.status !== "QUEUED") return { outcome: "skipped", status: row.status };

  const age = svc.clock.now().getTime() - row.createdAt.getTime();
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

  const transport = svc.email;
  const started = performance.now();
  const { data, error, headers } = await inSpan(
    "resend.emails.send",
    { kind: SpanKind.CLIENT, attributes: { "email.kind": row.kind } },
    () =>
      transport.resend.emails
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
        })),
  );
  const ms = Math.round(performance.now() - started);

  if (data && !error) {
    await opts.afterProviderAccepted?.([row.id]);
    const sent = await db
      .update(emailOutbox)
      .set({
        status: "SENT",
        providerId: data.id,
        attempts: sql`${emailOutbox.attempts} + 1`,
        lastError: null,
        sentAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, "QUEUED")))
      .returning({ kind: emailOutbox.kind, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt });
    observeDelivery(sent);
    log.info("email sent", { outboxId, kind: row.kind, providerId: data.id, ms });
    return { outcome: "sent", providerId: data.id };
  }

  const failure = classifyResendError(error ?? { message: "empty response", statusCode: null }, headers);
  return handleFailure(svc, [row], failure, {
    ...opts,
    reschedule: (tx, runAt) =>
      enqueue(tx, "send_email", { outboxId: row.id }, { jobKey: sendJobKey(row.id), runAt, maxAttempts: 25 }),
  });
}

/**
 * `traverse_email_delivery_seconds`: outbox row created → Resend accepted, from the row's own timestamps
 * (what the admin Operations panel reads too). Only rows this update turned SENT count, so a retry of a
 * send that had already been recorded is not observed twice.
 */
export function observeDelivery(rows: { kind: string; createdAt: Date; sentAt: Date | null }[]): void {
  for (const r of rows) {
    if (r.sentAt) metrics().emailDelivery.observe({ kind: r.kind }, secondsBetween(r.createdAt, r.sentAt));
  }
}

/** What a failed Resend request means for these rows: FAILED, SENT after all, a retry, or a reschedule. */
export async function handleFailure(
  svc: Services,
  rows: OutboxRow[],
  failure: ResendFailure,
  opts: SendOptions & { reschedule: (tx: Tx, runAt: Date) => Promise<void> },
): Promise<SendResult> {
  const { db, log } = svc;
  const ids = rows.map((r) => r.id);
  const fields = { outboxIds: ids.length === 1 ? ids[0] : ids.length, error: scrubText(failure.message) };
  if (failure.kind === "permanent") {
    await markFailed(db, ids, failure.message, true);
    log.error("email rejected by Resend", fields);
    return { outcome: "failed", error: failure.message };
  }
  if (failure.kind === "already_accepted") {
    const sent = await db
      .update(emailOutbox)
      .set({
        status: "SENT",
        attempts: sql`${emailOutbox.attempts} + 1`,
        lastError: `Accepted by an earlier attempt under the same idempotency key (${failure.message})`,
        sentAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(inArray(emailOutbox.id, ids), eq(emailOutbox.status, "QUEUED")))
      .returning({ kind: emailOutbox.kind, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt });
    observeDelivery(sent);
    log.warn("email already accepted under its idempotency key", fields);
    return { outcome: "sent", providerId: null };
  }

  const now = svc.clock.now();
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

  const record = (tx: DbOrTx) =>
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
