import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db, DbOrTx } from "@/server/db/client";
import { bookings } from "@/server/db/schema/bookings";
import { payments, refunds } from "@/server/db/schema/payments";
import { queueEmail } from "@/server/features/email/outbox";
import { enqueue } from "@/server/lib/jobs";
import { log } from "@/server/lib/log";

export type RefundReason =
  | "CUSTOMER_CANCELLATION"
  | "ADMIN_CANCELLATION"
  | "ADMIN_REFUND"
  | "SAILING_CANCELLED"
  | "LATE_PAYMENT_NO_CAPACITY"
  | "PAYMENT_FOR_CANCELLED_BOOKING"
  | "DUPLICATE_PAYMENT";

/** Records a refund to make and schedules the Stripe call; the API never waits for Stripe (DESIGN §4). */
export async function requestRefund(
  tx: DbOrTx,
  r: {
    bookingId: string;
    paymentId: string;
    amount: number;
    currency: string;
    reason: RefundReason;
    createdBy?: string;
  },
): Promise<string> {
  const [row] = await tx
    .insert(refunds)
    .values({
      bookingId: r.bookingId,
      paymentId: r.paymentId,
      amount: r.amount,
      currency: r.currency,
      reason: r.reason,
      createdBy: r.createdBy,
    })
    .returning({ id: refunds.id });
  await enqueue(tx, "create_refund", { refundId: row!.id }, { jobKey: `refund:${row!.id}`, maxAttempts: 20 });
  return row!.id;
}

/**
 * The create_refund job. Idempotent: the Stripe call carries `refund:<id>` as its idempotency key, so a
 * retry after a crash gets the same refund back, and a refund that already has its Stripe id is only
 * reconciled. Network and 5xx errors throw (the job retries); a request Stripe refuses marks it FAILED.
 */
export async function executeRefund(deps: { db: Db; stripe: Stripe }, refundId: string): Promise<void> {
  const [row] = await deps.db
    .select({ refund: refunds, payment: payments })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(eq(refunds.id, refundId));
  if (row?.refund.status !== "PENDING") return;
  if (!row.payment.paymentIntentId) {
    await applyRefundOutcome(deps.db, {
      refundId,
      status: "FAILED",
      failureReason: "The payment has no Stripe payment intent.",
    });
    return;
  }
  let stripeRefund: Stripe.Refund;
  try {
    stripeRefund = await deps.stripe.refunds.create(
      {
        payment_intent: row.payment.paymentIntentId,
        amount: row.refund.amount,
        reason: row.refund.reason === "DUPLICATE_PAYMENT" ? "duplicate" : "requested_by_customer",
        metadata: { refund_id: refundId, booking_id: row.refund.bookingId },
      },
      { idempotencyKey: `refund:${refundId}` },
    );
  } catch (e) {
    const err = e as { type?: string; message?: string };
    if (err.type === "StripeInvalidRequestError" || err.type === "StripeCardError") {
      await applyRefundOutcome(deps.db, {
        refundId,
        status: "FAILED",
        failureReason: err.message ?? "Refused by Stripe",
      });
      return;
    }
    throw e;
  }
  await applyStripeRefund(deps.db, stripeRefund);
}

/**
 * Brings our refund row in line with Stripe's refund object, whichever event or job saw it first. Only
 * a change of status has effects (payment totals, the email), so replays change nothing.
 */
export async function applyStripeRefund(db: Db, s: Stripe.Refund): Promise<void> {
  const status =
    s.status === "succeeded"
      ? "SUCCEEDED"
      : s.status === "failed" || s.status === "canceled"
        ? "FAILED"
        : "PENDING";
  await applyRefundOutcome(db, {
    refundId: s.metadata?.refund_id,
    stripeRefundId: s.id,
    status,
    failureReason: status === "FAILED" ? (s.failure_reason ?? "Refused by the card issuer") : null,
  });
}

export async function applyRefundOutcome(
  db: Db,
  o: {
    refundId?: string;
    stripeRefundId?: string;
    status: "SUCCEEDED" | "FAILED" | "PENDING";
    failureReason?: string | null;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = o.refundId
      ? await tx.select().from(refunds).where(eq(refunds.id, o.refundId)).for("update")
      : o.stripeRefundId
        ? await tx.select().from(refunds).where(eq(refunds.stripeRefundId, o.stripeRefundId)).for("update")
        : [];
    if (!row) {
      log.warn("stripe refund without a matching refund row", { stripeRefundId: o.stripeRefundId });
      return;
    }
    const target = o.status;
    if (o.stripeRefundId && row.stripeRefundId !== o.stripeRefundId) {
      await tx
        .update(refunds)
        .set({ stripeRefundId: o.stripeRefundId, updatedAt: new Date() })
        .where(eq(refunds.id, row.id));
    }
    if (row.status === target || row.status !== "PENDING") return;
    await markRefund(tx, row.id, { status: target, failureReason: o.failureReason ?? null });
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, row.bookingId));
    if (!b) return;
    if (target === "SUCCEEDED") {
      const [p] = await tx
        .update(payments)
        .set({ amountRefunded: sql`${payments.amountRefunded} + ${row.amount}`, updatedAt: new Date() })
        .where(eq(payments.id, row.paymentId))
        .returning();
      if (p) {
        await tx
          .update(payments)
          .set({ status: p.amountRefunded >= p.amount ? "REFUNDED" : "PARTIALLY_REFUNDED" })
          .where(eq(payments.id, p.id));
      }
    }
    if (target === "SUCCEEDED" || target === "FAILED") {
      await queueEmail(tx, {
        kind: target === "SUCCEEDED" ? "refund_completed" : "refund_failed",
        bookingId: b.id,
        recipient: b.contactEmail,
        locale: b.locale,
        dedupeKey: `refund-${target.toLowerCase()}:${row.id}`,
        data: { refundId: row.id, amount: row.amount, currency: row.currency, reason: row.reason },
      });
    }
  });
}

async function markRefund(
  db: DbOrTx,
  refundId: string,
  set: { status: "SUCCEEDED" | "FAILED" | "PENDING"; failureReason?: string | null },
): Promise<void> {
  await db
    .update(refunds)
    .set({ status: set.status, failureReason: set.failureReason ?? null, updatedAt: new Date() })
    .where(eq(refunds.id, refundId));
}
