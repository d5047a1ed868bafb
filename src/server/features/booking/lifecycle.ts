import { and, eq, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/server/db/client";
import { bookings } from "@/server/db/schema/bookings";
import { payments } from "@/server/db/schema/payments";
import type { Cache } from "@/server/features/cache/cache";
import { queueEmail } from "@/server/features/email/outbox";
import { requestRefund } from "@/server/features/payments/refunds";
import { enqueue } from "@/server/lib/jobs";
import { log } from "@/server/lib/log";
import { invalidateAfterCapacityChange } from "./cache-effects";
import { convertHeldToSold, releaseHeld, retakeAsSold } from "./inventory";

export interface LifecycleDeps {
  db: Db;
  cache: Cache;
  now?: () => Date;
}

export interface PaidCheckout {
  sessionId: string;
  paymentIntentId: string | null;
  amountTotal: number;
  metadata: Record<string, string>;
}

export type PaymentOutcome =
  | "CONFIRMED"
  | "ALREADY_APPLIED"
  | "LATE_CONFIRMED"
  | "LATE_REFUNDED"
  | "REFUNDED_CANCELLED"
  | "REFUNDED_DUPLICATE"
  | "UNKNOWN_SESSION";

/**
 * A paid Checkout session, from the webhook worker (DESIGN §4 "Pay"). Compare-and-set on the payment and
 * the booking, all in one transaction: held → sold, payment COMPLETED, confirmation email queued. A
 * payment that arrives late re-takes the places if they are still free, otherwise it is refunded and
 * the traveller told; so is a payment for a cancelled booking or a second payment. Replays change nothing.
 */
export async function applyPaidCheckout(deps: LifecycleDeps, paid: PaidCheckout): Promise<PaymentOutcome> {
  const now = deps.now?.() ?? new Date();
  const effects: { sailingIds: number[]; routes: boolean } = { sailingIds: [], routes: false };
  const outcome = await deps.db.transaction(async (tx): Promise<PaymentOutcome> => {
    let [payment] = await tx
      .select()
      .from(payments)
      .where(eq(payments.checkoutSessionId, paid.sessionId))
      .for("update");
    if (!payment && paid.metadata.payment_id) {
      // We crashed between creating the session and storing its id: the metadata still names the row.
      [payment] = await tx
        .select()
        .from(payments)
        .where(eq(payments.id, paid.metadata.payment_id))
        .for("update");
      if (payment && !payment.checkoutSessionId) {
        await tx
          .update(payments)
          .set({ checkoutSessionId: paid.sessionId })
          .where(eq(payments.id, payment.id));
      }
    }
    if (!payment) {
      log.warn("paid checkout session unknown to us", { sessionId: paid.sessionId });
      return "UNKNOWN_SESSION";
    }
    if (
      payment.status === "COMPLETED" ||
      payment.status === "REFUNDED" ||
      payment.status === "PARTIALLY_REFUNDED"
    ) {
      return "ALREADY_APPLIED";
    }
    const [booking] = await tx
      .select()
      .from(bookings)
      .where(eq(bookings.id, payment.bookingId))
      .for("update");
    if (!booking) return "UNKNOWN_SESSION";
    await tx
      .update(payments)
      .set({
        status: "COMPLETED",
        paymentIntentId: paid.paymentIntentId,
        amount: paid.amountTotal,
        updatedAt: now,
      })
      .where(eq(payments.id, payment.id));

    const refundAll = async (
      reason: "LATE_PAYMENT_NO_CAPACITY" | "PAYMENT_FOR_CANCELLED_BOOKING" | "DUPLICATE_PAYMENT",
    ) => {
      await requestRefund(tx, {
        bookingId: booking.id,
        paymentId: payment.id,
        amount: paid.amountTotal,
        currency: payment.currency,
        reason,
      });
      await queueEmail(tx, {
        kind: "late_payment_refunded",
        bookingId: booking.id,
        recipient: booking.contactEmail,
        locale: booking.locale,
        dedupeKey: `late-refund:${payment.id}`,
        data: { amount: paid.amountTotal, currency: payment.currency, reason },
      });
    };

    switch (booking.status) {
      case "PENDING_PAYMENT": {
        effects.sailingIds = await convertHeldToSold(tx, booking.id);
        effects.routes = true;
        await confirm(tx, booking, now);
        return "CONFIRMED";
      }
      case "EXPIRED": {
        const retaken = await retakeAsSold(tx, booking.id);
        if (retaken.ok) {
          effects.sailingIds = retaken.sailingIds;
          effects.routes = true;
          await confirm(tx, booking, now);
          return "LATE_CONFIRMED";
        }
        await refundAll("LATE_PAYMENT_NO_CAPACITY");
        return "LATE_REFUNDED";
      }
      case "CANCELLED":
        await refundAll("PAYMENT_FOR_CANCELLED_BOOKING");
        return "REFUNDED_CANCELLED";
      case "CONFIRMED":
        await refundAll("DUPLICATE_PAYMENT");
        return "REFUNDED_DUPLICATE";
    }
  });
  await invalidateAfterCapacityChange(deps.db, deps.cache, effects.sailingIds, { routes: effects.routes });
  log.info("payment applied", { sessionId: paid.sessionId, outcome });
  return outcome;
}

async function confirm(tx: Tx, booking: typeof bookings.$inferSelect, now: Date) {
  await tx
    .update(bookings)
    .set({ status: "CONFIRMED", confirmedAt: now, updatedAt: now })
    .where(eq(bookings.id, booking.id));
  // The hold's expiry job has nothing left to do.
  await tx.execute(sql`select graphile_worker.remove_job(${`hold:${booking.id}`})`);
  await queueEmail(tx, {
    kind: "booking_confirmed",
    bookingId: booking.id,
    recipient: booking.contactEmail,
    locale: booking.locale,
    dedupeKey: `confirmed:${booking.id}`,
  });
}

/**
 * Ends a hold (DESIGN §4 "Expire"): releases the places, marks the booking EXPIRED, tells the traveller,
 * and schedules the expiry of any open Checkout session. Does nothing unless the booking is still pending
 * and its hold is over, so the per-booking job and the sweep can both run it.
 */
export async function expireHold(deps: LifecycleDeps, bookingId: string): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  let released: number[] = [];
  const expired = await deps.db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (b?.status !== "PENDING_PAYMENT" || b.holdExpiresAt.getTime() > now.getTime()) return false;
    released = await releaseHeld(tx, b.id);
    await tx
      .update(bookings)
      .set({ status: "EXPIRED", expiredAt: now, updatedAt: now })
      .where(eq(bookings.id, b.id));
    const open = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.bookingId, b.id), eq(payments.status, "PENDING")));
    for (const p of open) {
      await enqueue(tx, "expire_checkout_session", { paymentId: p.id }, { jobKey: `expire-session:${p.id}` });
    }
    await queueEmail(tx, {
      kind: "hold_expired",
      bookingId: b.id,
      recipient: b.contactEmail,
      locale: b.locale,
      dedupeKey: `expired:${b.id}`,
    });
    return true;
  });
  if (expired) {
    await invalidateAfterCapacityChange(deps.db, deps.cache, released, { routes: false });
    log.info("hold expired", { bookingId });
  }
  return expired;
}

/** The cron backstop: every hold past its end, in case a per-booking job was lost or delayed. */
export async function expireOverdueHolds(deps: LifecycleDeps, limit = 200): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const due = await deps.db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.status, "PENDING_PAYMENT"), lte(bookings.holdExpiresAt, now)))
    .limit(limit);
  let n = 0;
  for (const b of due) if (await expireHold(deps, b.id)) n++;
  return n;
}
