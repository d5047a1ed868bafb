import { createHash } from "node:crypto";
import { and, eq, like, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/server/db/client";
import { bookingLegs, bookings, type Locale } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { sailings } from "@/server/db/schema/sailings";
import { AppError } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import type { Services } from "@/server/services";

/** Every transactional email Traverse sends. The template for each lives in features/email/templates. */
export const emailKinds = [
  "booking_confirmed",
  "hold_expired",
  "booking_cancelled",
  "refund_completed",
  "refund_failed",
  /**
   * A payment refunded automatically (it came after the hold expired and the sailing or places were gone,
   * did not match the total, or paid a cancelled or already paid booking); the email says which.
   */
  "late_payment_refunded",
  "departure_reminder",
  /** An admin changed or cancelled a sailing: sent through the batch path. */
  "sailing_notice",
] as const;
export type EmailKind = (typeof emailKinds)[number];

export interface QueueEmailInput {
  kind: EmailKind;
  bookingId: string | null;
  recipient: string;
  locale: Locale;
  /** Identifies the event that causes the email: the same key never queues a second email. */
  dedupeKey: string;
  /**
   * Template inputs not in the booking itself; never secrets. Per kind (parsed by render.tsx):
   * booking_cancelled `{ refundAmount, currency }`; refund_completed / refund_failed
   * `{ refundId, amount, currency, reason? }`; late_payment_refunded `{ amount?, currency?, reason }`
   * (amount defaults to the booking total; reason is one of `paymentRefundReasons`); departure_reminder
   * `{ direction? }`; sailing_notice `{ sailingId, change, message? }`.
   */
  data?: Record<string, unknown>;
}

/** graphile-worker job key of an email's send job: a duplicate enqueue collapses into one job. */
export function sendJobKey(outboxId: string): string {
  return `email:${outboxId}`;
}

/**
 * Mass notices run on this one named queue: graphile-worker runs a named queue's jobs one at a time
 * across every worker process, which is what lets the batch task pace itself to Resend's rate limit.
 */
export const BATCH_QUEUE = "resend-batch";
export const BATCH_SIZE = 100;

export function batchJobKey(outboxIds: string[]): string {
  return `email-batch:${createHash("sha256")
    .update([...outboxIds].sort().join(","))
    .digest("hex")
    .slice(0, 32)}`;
}

/** Enough for a week of retries of one email; the sender stops well before (send-policy.ts). */
const SEND_JOB_MAX_ATTEMPTS = 25;

/**
 * Writes an outbox row and its `send_email` job in the caller's transaction: the
 * email exists if and only if the event that causes it commits, and a replayed event (same dedupe key)
 * queues nothing. Returns the outbox id, or null when this event's email was already queued.
 *
 * `sailing_notice` rows get no job here: use `queueSailingNotice`, which sends them in batches.
 */
export async function queueEmail(tx: DbOrTx, input: QueueEmailInput): Promise<string | null> {
  const [row] = await tx
    .insert(emailOutbox)
    .values({
      kind: input.kind,
      bookingId: input.bookingId,
      recipient: input.recipient,
      locale: input.locale,
      dedupeKey: input.dedupeKey,
      data: input.data ?? {},
    })
    .onConflictDoNothing({ target: emailOutbox.dedupeKey })
    .returning({ id: emailOutbox.id });
  if (!row) return null;
  if (input.kind !== "sailing_notice") await enqueueSend(tx, row.id);
  return row.id;
}

function enqueueSend(tx: DbOrTx, outboxId: string) {
  return enqueue(
    tx,
    "send_email",
    { outboxId },
    { jobKey: sendJobKey(outboxId), maxAttempts: SEND_JOB_MAX_ATTEMPTS },
  );
}

/** `queueEmail` to a booking's contact, in the booking's language. */
export function queueBookingEmail(
  tx: DbOrTx,
  booking: { id: string; contactEmail: string; locale: Locale },
  email: Pick<QueueEmailInput, "kind" | "dedupeKey" | "data">,
): Promise<string | null> {
  return queueEmail(tx, {
    ...email,
    bookingId: booking.id,
    recipient: booking.contactEmail,
    locale: booking.locale,
  });
}

export interface SailingNoticeInput {
  sailingId: number;
  change: "changed" | "cancelled";
  /** Shown to travellers as the operator's message; plain text. */
  message?: string | null;
  /**
   * Distinguishes successive notices about the same sailing (two schedule changes → two emails). Defaults
   * to the sailing's `updated_at`, which the admin edit bumps in the same transaction.
   */
  version?: string | number;
}

/**
 * Tells every traveller with a confirmed booking on a sailing that it changed or was cancelled: one outbox
 * row per booking, sent through Resend's batch endpoint in jobs of ≤ 100 on the `resend-batch` queue.
 * Call it in the transaction that changes the sailing. Replaying the same change queues nothing new.
 */
export async function queueSailingNotice(
  tx: DbOrTx,
  input: SailingNoticeInput,
): Promise<{ queued: number; batches: number }> {
  let version = input.version;
  if (version === undefined) {
    const [sailing] = await tx
      .select({ updatedAt: sailings.updatedAt })
      .from(sailings)
      .where(eq(sailings.id, input.sailingId));
    if (!sailing) throw new AppError("NOT_FOUND", `Sailing ${input.sailingId} does not exist.`);
    version = sailing.updatedAt.getTime();
  }
  const affected = await tx
    .selectDistinct({ id: bookings.id, email: bookings.contactEmail, locale: bookings.locale })
    .from(bookings)
    .innerJoin(bookingLegs, eq(bookingLegs.bookingId, bookings.id))
    .where(and(eq(bookingLegs.sailingId, input.sailingId), eq(bookings.status, "CONFIRMED")));
  if (affected.length === 0) return { queued: 0, batches: 0 };

  const data = { sailingId: input.sailingId, change: input.change, message: input.message ?? null };
  const ids: string[] = [];
  // Chunked inserts keep each statement well under Postgres' 65 535 bind parameters.
  for (let i = 0; i < affected.length; i += 1000) {
    const rows = await tx
      .insert(emailOutbox)
      .values(
        affected.slice(i, i + 1000).map((b) => ({
          kind: "sailing_notice",
          bookingId: b.id,
          recipient: b.email,
          locale: b.locale,
          dedupeKey: `notice:${input.sailingId}:${input.change}:${version}:${b.id}`,
          data,
        })),
      )
      .onConflictDoNothing({ target: emailOutbox.dedupeKey })
      .returning({ id: emailOutbox.id });
    ids.push(...rows.map((r) => r.id));
  }
  ids.sort();
  let batches = 0;
  for (let i = 0; i < ids.length; i += BATCH_SIZE) {
    const chunk = ids.slice(i, i + BATCH_SIZE);
    await enqueue(
      tx,
      "send_email_batch",
      { outboxIds: chunk },
      { queueName: BATCH_QUEUE, jobKey: batchJobKey(chunk), maxAttempts: SEND_JOB_MAX_ATTEMPTS },
    );
    batches++;
  }
  return { queued: ids.length, batches };
}

/**
 * "Send again": a new outbox row (the original keeps its history) with a fresh idempotency key, to the
 * booking's current address and language — usually the point is that an admin fixed a wrong address.
 * Returns the new outbox id. `requeueEmail` does the same inside a caller's transaction.
 */
export async function resendEmail(svc: Services, outboxId: string): Promise<string> {
  return svc.db.transaction((tx) => requeueEmail(tx, outboxId));
}

/** `resendEmail` inside the caller's transaction (the admin's, with its audit row). */
export async function requeueEmail(tx: Tx, outboxId: string): Promise<string> {
  const [original] = await tx.select().from(emailOutbox).where(eq(emailOutbox.id, outboxId)).for("update");
  if (!original) throw new AppError("NOT_FOUND", "This email does not exist.");
  if (original.status === "QUEUED") {
    throw new AppError("CONFLICT", "This email is still being sent; wait for it to be sent or fail.");
  }
  // The row lock above serialises concurrent clicks, so the count gives each resend its own number.
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(emailOutbox)
    .where(like(emailOutbox.dedupeKey, `resend:${outboxId}:%`));
  let recipient = original.recipient;
  let locale = original.locale;
  if (original.bookingId) {
    const [booking] = await tx
      .select({ email: bookings.contactEmail, locale: bookings.locale })
      .from(bookings)
      .where(eq(bookings.id, original.bookingId));
    if (booking) {
      recipient = booking.email;
      locale = booking.locale;
    }
  }
  const [row] = await tx
    .insert(emailOutbox)
    .values({
      kind: original.kind,
      bookingId: original.bookingId,
      recipient,
      locale,
      dedupeKey: `resend:${outboxId}:${n + 1}`,
      data: original.data,
    })
    .returning({ id: emailOutbox.id });
  if (!row) throw new AppError("INTERNAL", "Could not queue the email again.");
  await enqueueSend(tx, row.id);
  return row.id;
}
