import type { DbOrTx } from "@/server/db/client";
import type { Locale } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { enqueue } from "@/server/lib/jobs";

/** Every transactional email Traverse sends. The template for each lives in features/email/templates. */
export const emailKinds = [
  "booking_confirmed",
  "hold_expired",
  "booking_cancelled",
  "refund_completed",
  "refund_failed",
  /** Payment arrived after the hold expired and the places were gone: refunded automatically. */
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
  /** Template inputs not in the booking itself (refund amount, notice text …); never secrets. */
  data?: Record<string, unknown>;
}

/**
 * Writes an outbox row and its `send_email` job in the caller's transaction (DESIGN §4 "Email"): the
 * email exists if and only if the event that causes it commits, and a replayed event (same dedupe key)
 * queues nothing. Returns the outbox id, or null when this event's email was already queued.
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
  if (input.kind !== "sailing_notice") {
    // Job key = outbox id: a duplicate enqueue of the same email collapses into one job.
    await enqueue(tx, "send_email", { outboxId: row.id }, { jobKey: `email:${row.id}`, maxAttempts: 25 });
  }
  return row.id;
}
