import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { DbOrTx } from "@/server/db/client";
import { bookings } from "@/server/db/schema/bookings";
import { payments, type RefundReason, refunds } from "@/server/db/schema/payments";
import { queueBookingEmail } from "@/server/features/email/outbox";
import { AppError } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import { inSpan, SpanKind } from "@/server/lib/tracing";
import type { Services } from "@/server/services";

/** Payment statuses that mean money was taken (and may be partly or wholly on its way back). */
const PAID_STATUSES = ["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"] as const;

export interface Refundable {
  /** The payment a refund of this booking goes against; null when nothing was paid. */
  paymentId: string | null;
  currency: string | null;
  /** What was paid on that payment. */
  paid: number;
  /** What can still be refunded: paid − refunds that succeeded − refunds still in flight. */
  amount: number;
}

/** paid − succeeded − pending, never below 0. Counts refund rows too, in case the total lags behind them. */
function remainingOf(p: { amount: number; amountRefunded: number }, succeeded: number, pending: number) {
  return Math.max(p.amount - Math.max(p.amountRefunded, succeeded) - pending, 0);
}

/**
 * What can still be refunded on a booking, net of refunds already in flight (counting those is what stops
 * a traveller cancel after a pending admin refund from asking Stripe for the money a second time).
 *
 * With `lock`, the booking's paid payments are locked FOR UPDATE (in creation order, after the caller has
 * locked the booking: booking → payment is the order every money path takes), so the answer holds until
 * the caller's transaction ends. When a booking has several paid payments (a second payment, refunded
 * automatically), the one with the most left to refund is the one that paid for the ticket.
 */
export async function refundableFor(
  tx: DbOrTx,
  bookingId: string,
  opts: { lock?: boolean } = {},
): Promise<Refundable> {
  const q = tx
    .select()
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), inArray(payments.status, PAID_STATUSES)))
    .orderBy(asc(payments.createdAt), asc(payments.id));
  const paid = opts.lock ? await q.for("update") : await q;
  if (paid.length === 0) return refundableFrom([], new Map());
  const sums = await refundSums(
    tx,
    paid.map((p) => p.id),
  );
  return refundableFrom(paid, sums);
}

type RefundSums = Map<string, { succeeded: number; pending: number }>;

/**
 * `refundableFor` from a booking's payments and refunds already read (the admin booking page has them):
 * the same answer, without the lock.
 */
export function refundableOf(
  pays: (typeof payments.$inferSelect)[],
  refundRows: { paymentId: string; status: string; amount: number }[],
): Refundable {
  const sums: RefundSums = new Map();
  for (const r of refundRows) {
    const s = sums.get(r.paymentId) ?? { succeeded: 0, pending: 0 };
    if (r.status === "SUCCEEDED") s.succeeded += r.amount;
    if (r.status === "PENDING") s.pending += r.amount;
    sums.set(r.paymentId, s);
  }
  const paid = pays
    .filter((p) => (PAID_STATUSES as readonly string[]).includes(p.status))
    .sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  return refundableFrom(paid, sums);
}

/** Of the paid payments (in creation order), the one with the most left to refund. */
function refundableFrom(
  paid: { id: string; currency: string; amount: number; amountRefunded: number }[],
  sums: RefundSums,
): Refundable {
  let best: Refundable = { paymentId: null, currency: null, paid: 0, amount: 0 };
  for (const p of paid) {
    const s = sums.get(p.id) ?? { succeeded: 0, pending: 0 };
    const amount = remainingOf(p, s.succeeded, s.pending);
    if (best.paymentId === null || amount > best.amount)
      best = { paymentId: p.id, currency: p.currency, paid: p.amount, amount };
  }
  return best;
}

async function refundSums(tx: DbOrTx, paymentIds: string[]): Promise<RefundSums> {
  const rows = await tx
    .select({
      paymentId: refunds.paymentId,
      succeeded: sql<number>`coalesce(sum(${refunds.amount}) filter (where ${refunds.status} = 'SUCCEEDED'), 0)::int`,
      pending: sql<number>`coalesce(sum(${refunds.amount}) filter (where ${refunds.status} = 'PENDING'), 0)::int`,
    })
    .from(refunds)
    .where(inArray(refunds.paymentId, paymentIds))
    .groupBy(refunds.paymentId);
  return new Map(
    rows.map((r) => [r.paymentId, { succeeded: Number(r.succeeded), pending: Number(r.pending) }]),
  );
}

/**
 * Records a refund to make and schedules the Stripe call; the API never waits for Stripe.
 * Checked under the payment's row lock: a refund larger than what is left of the payment (paid − succeeded
 * − pending) is refused with a message an admin can act on, whatever ran before it. The database trigger
 * `refunds_within_payment` enforces the same rule once more.
 */
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
  const [p] = await tx.select().from(payments).where(eq(payments.id, r.paymentId)).for("update");
  if (!p || !(PAID_STATUSES as readonly string[]).includes(p.status)) {
    throw new AppError("CONFLICT", "This payment was never completed, so there is nothing to refund.");
  }
  const sums = (await refundSums(tx, [p.id])).get(p.id) ?? { succeeded: 0, pending: 0 };
  const left = remainingOf(p, sums.succeeded, sums.pending);
  if (r.amount <= 0 || r.amount > left) {
    throw new AppError(
      "BAD_REQUEST",
      `The refund must be between 0.01 and ${(left / 100).toFixed(2)} ${p.currency}: that is what is left of the payment once earlier and pending refunds are counted.`,
      { maxRefund: left },
    );
  }
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
 * The create_refund job. Idempotent: a refund row that already has its Stripe id is retrieved and
 * reconciled, never created again (Stripe forgets idempotency keys after 24 hours, and a job can be retried
 * later than that); otherwise the call carries `refund:<id>` as its idempotency key, so a retry after a crash
 * between Stripe's answer and our commit gets the same refund back. Network and 5xx errors throw (the job
 * retries); a request Stripe refuses marks it FAILED.
 */
export async function executeRefund(svc: Services, refundId: string): Promise<void> {
  const [row] = await svc.db
    .select({ refund: refunds, payment: payments })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(eq(refunds.id, refundId));
  if (row?.refund.status !== "PENDING") return;
  if (row.refund.stripeRefundId) {
    await applyStripeRefund(svc, await svc.stripe.refunds.retrieve(row.refund.stripeRefundId));
    return;
  }
  if (!row.payment.paymentIntentId) {
    await applyRefundOutcome(svc, {
      refundId,
      status: "FAILED",
      failureReason: "The payment has no Stripe payment intent.",
    });
    return;
  }
  const paymentIntent = row.payment.paymentIntentId;
  let stripeRefund: Stripe.Refund;
  try {
    stripeRefund = await inSpan("stripe.refunds.create", { kind: SpanKind.CLIENT }, () =>
      svc.stripe.refunds.create(
        {
          payment_intent: paymentIntent,
          amount: row.refund.amount,
          reason: row.refund.reason === "DUPLICATE_PAYMENT" ? "duplicate" : "requested_by_customer",
          metadata: { refund_id: refundId, booking_id: row.refund.bookingId },
        },
        { idempotencyKey: `refund:${refundId}` },
      ),
    );
  } catch (e) {
    const err = e as { type?: string; message?: string };
    if (err.type === "StripeInvalidRequestError" || err.type === "StripeCardError") {
      await applyRefundOutcome(svc, {
        refundId,
        status: "FAILED",
        failureReason: err.message ?? "Refused by Stripe",
      });
      return;
    }
    throw e;
  }
  await applyStripeRefund(svc, stripeRefund);
}

/**
 * Brings our refund row in line with Stripe's refund object, whichever event or job saw it first. Only
 * a change of status has effects (payment totals, the email), so replays change nothing.
 */
export async function applyStripeRefund(svc: Services, s: Stripe.Refund): Promise<void> {
  const status =
    s.status === "succeeded"
      ? "SUCCEEDED"
      : s.status === "failed" || s.status === "canceled"
        ? "FAILED"
        : "PENDING";
  await applyRefundOutcome(svc, {
    refundId: s.metadata?.refund_id,
    stripeRefundId: s.id,
    status,
    failureReason: status === "FAILED" ? (s.failure_reason ?? "Refused by the card issuer") : null,
  });
}

export async function applyRefundOutcome(
  svc: Services,
  o: {
    refundId?: string;
    stripeRefundId?: string;
    status: "SUCCEEDED" | "FAILED" | "PENDING";
    failureReason?: string | null;
  },
): Promise<void> {
  const now = svc.clock.now();
  await svc.db.transaction(async (tx) => {
    const [row] = o.refundId
      ? await tx.select().from(refunds).where(eq(refunds.id, o.refundId)).for("update")
      : o.stripeRefundId
        ? await tx.select().from(refunds).where(eq(refunds.stripeRefundId, o.stripeRefundId)).for("update")
        : [];
    if (!row) {
      svc.log.warn("stripe refund without a matching refund row", { stripeRefundId: o.stripeRefundId });
      return;
    }
    const target = o.status;
    if (o.stripeRefundId && row.stripeRefundId !== o.stripeRefundId) {
      await tx
        .update(refunds)
        .set({ stripeRefundId: o.stripeRefundId, updatedAt: now })
        .where(eq(refunds.id, row.id));
    }
    if (row.status === target || row.status !== "PENDING") return;
    await markRefund(tx, row.id, { status: target, failureReason: o.failureReason ?? null, at: now });
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, row.bookingId));
    if (!b) return;
    if (target === "SUCCEEDED") {
      const [p] = await tx
        .update(payments)
        .set({ amountRefunded: sql`${payments.amountRefunded} + ${row.amount}`, updatedAt: now })
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
      await queueBookingEmail(tx, b, {
        kind: target === "SUCCEEDED" ? "refund_completed" : "refund_failed",
        dedupeKey: `refund-${target.toLowerCase()}:${row.id}`,
        data: { refundId: row.id, amount: row.amount, currency: row.currency, reason: row.reason },
      });
    }
  });
}

async function markRefund(
  db: DbOrTx,
  refundId: string,
  set: { status: "SUCCEEDED" | "FAILED" | "PENDING"; failureReason?: string | null; at: Date },
): Promise<void> {
  await db
    .update(refunds)
    .set({ status: set.status, failureReason: set.failureReason ?? null, updatedAt: set.at })
    .where(eq(refunds.id, refundId));
}
