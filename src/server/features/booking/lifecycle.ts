import { and, eq, lte, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { bookings } from "@/server/db/schema/bookings";
import { type PaymentFlag, type PaymentRefundReason, payments } from "@/server/db/schema/payments";
import { queueBookingEmail } from "@/server/features/email/outbox";
import type { PaidCheckout } from "@/server/features/payments/events";
import { requestRefund } from "@/server/features/payments/refunds";
import { enqueue } from "@/server/lib/jobs";
import { metrics } from "@/server/lib/metrics";
import type { Services } from "@/server/services";
import { invalidateAfterCapacityChange } from "./cache-effects";
import { convertHeldToSold, releaseHeld } from "./inventory";
import { retakeLate } from "./late-payment";
import { connectedLegsOf, releaseConnectedLegs } from "./operator-legs";

export type PaymentOutcome =
  | "CONFIRMED"
  | "CONFIRMING"
  | "ALREADY_APPLIED"
  | "LATE_CONFIRMED"
  | "LATE_REFUNDED"
  | "REFUNDED_MISMATCH"
  | "REFUNDED_CANCELLED"
  | "REFUNDED_DUPLICATE"
  | "UNKNOWN_SESSION";

type Booking = typeof bookings.$inferSelect;

/** What was paid against what the booking costs: anything but an exact match is never confirmed. */
function mismatchOf(paid: PaidCheckout, booking: Booking): PaymentFlag | null {
  if (paid.currency.toUpperCase() !== booking.currency) return "CURRENCY_MISMATCH";
  if (paid.amountTotal !== booking.totalAmount) return "AMOUNT_MISMATCH";
  return null;
}

/**
 * A paid Checkout session, from the webhook worker. Compare-and-set on the payment and the booking, all in
 * one transaction: held → sold, payment COMPLETED, confirmation email queued. Replays change nothing.
 *
 * - The amount and currency paid must equal the booking's total. A mismatch is refunded in full (what was
 *   actually paid), the payment is flagged for admins, and a booking still on hold is released and ends
 *   CANCELLED (an expired or cancelled one stays as it is): it is never confirmed.
 * - A payment that arrives after the hold expired confirms only if `retakeLate` says the sailings are
 *   still sailing, on sale and have the places; otherwise the booking stays EXPIRED and the payment is
 *   refunded in full, with an email saying why.
 * - A payment for a cancelled booking, or a second payment, is refunded in full.
 *
 * Locks go booking → payment → sailings → inventory, the order `cancelBooking`, `ensureCheckoutSession`
 * and `insertWithHolds` use, so none of them can deadlock with this.
 */
export async function applyPaidCheckout(svc: Services, paid: PaidCheckout): Promise<PaymentOutcome> {
  const { log } = svc;
  const now = svc.clock.now();
  const effects: { sailingIds: number[]; routes: boolean } = { sailingIds: [], routes: false };
  const outcome = await svc.db.transaction(async (tx): Promise<PaymentOutcome> => {
    // Unlocked first, only to learn which booking to lock.
    let [found] = await tx
      .select({ id: payments.id, bookingId: payments.bookingId })
      .from(payments)
      .where(eq(payments.checkoutSessionId, paid.sessionId));
    if (!found && paid.metadata.payment_id && isUuid(paid.metadata.payment_id)) {
      // We crashed between creating the session and storing its id: the metadata still names the row.
      [found] = await tx
        .select({ id: payments.id, bookingId: payments.bookingId })
        .from(payments)
        .where(eq(payments.id, paid.metadata.payment_id));
    }
    if (!found) {
      log.warn("paid checkout session unknown to us", { sessionId: paid.sessionId });
      return "UNKNOWN_SESSION";
    }
    const [booking] = await tx.select().from(bookings).where(eq(bookings.id, found.bookingId)).for("update");
    const [payment] = await tx.select().from(payments).where(eq(payments.id, found.id)).for("update");
    if (!booking || !payment) return "UNKNOWN_SESSION";
    if (
      payment.status === "COMPLETED" ||
      payment.status === "REFUNDED" ||
      payment.status === "PARTIALLY_REFUNDED"
    ) {
      return "ALREADY_APPLIED";
    }
    const flag = mismatchOf(paid, booking);
    const currency = paid.currency ? paid.currency.toUpperCase() : payment.currency;
    await tx
      .update(payments)
      .set({
        status: "COMPLETED",
        checkoutSessionId: payment.checkoutSessionId ?? paid.sessionId,
        paymentIntentId: paid.paymentIntentId,
        // What was really taken: refunds are capped by it, and admins compare it with the booking's total.
        amount: paid.amountTotal,
        currency,
        flag,
        updatedAt: now,
      })
      .where(eq(payments.id, payment.id));

    const refundAll = async (reason: PaymentRefundReason) => {
      if (paid.amountTotal > 0) {
        await requestRefund(tx, {
          bookingId: booking.id,
          paymentId: payment.id,
          amount: paid.amountTotal,
          currency,
          reason,
        });
      }
      await queueBookingEmail(tx, booking, {
        kind: "late_payment_refunded",
        dedupeKey: `late-refund:${payment.id}`,
        data: { amount: paid.amountTotal, currency, reason },
      });
    };

    if (flag) {
      log.warn("paid amount does not match the booking", {
        bookingId: booking.id,
        paymentId: payment.id,
        flag,
      });
      if (booking.status === "PENDING_PAYMENT") {
        effects.sailingIds = await releaseHeld(tx, booking.id);
        await releaseConnectedLegs(tx, booking);
        await tx
          .update(bookings)
          .set({ status: "CANCELLED", cancelledAt: now, updatedAt: now })
          .where(eq(bookings.id, booking.id));
        await tx.execute(sql`select graphile_worker.remove_job(${`hold:${booking.id}`})`);
        // Another Checkout session still open for this booking must not take a second payment.
        await expireOpenSessions(tx, booking.id);
      }
      await refundAll("PAYMENT_AMOUNT_MISMATCH");
      return "REFUNDED_MISMATCH";
    }

    switch (booking.status) {
      case "PENDING_PAYMENT": {
        effects.sailingIds = await convertHeldToSold(tx, booking.id);
        effects.routes = true;
        if ((await connectedLegsOf(tx, booking)).length > 0) {
          // Paid, but a ticket only once every operator has confirmed: `confirmOperatorBooking`.
          await awaitOperators(tx, booking, now);
          return "CONFIRMING";
        }
        await confirm(tx, booking, now);
        return "CONFIRMED";
      }
      case "EXPIRED": {
        // Its operators' provisional bookings were let go with the hold: nothing is left to confirm.
        if ((await connectedLegsOf(tx, booking)).length > 0) {
          await refundAll("OPERATOR_REFUSED");
          return "LATE_REFUNDED";
        }
        const verdict = await retakeLate(tx, booking.id, now);
        if (verdict.ok) {
          effects.sailingIds = verdict.sailingIds;
          effects.routes = true;
          await confirm(tx, booking, now);
          return "LATE_CONFIRMED";
        }
        await refundAll(verdict.reason);
        return "LATE_REFUNDED";
      }
      case "CANCELLED":
        await refundAll("PAYMENT_FOR_CANCELLED_BOOKING");
        return "REFUNDED_CANCELLED";
      case "CONFIRMING":
      case "CONFIRMED":
        await refundAll("DUPLICATE_PAYMENT");
        return "REFUNDED_DUPLICATE";
    }
  });
  await invalidateAfterCapacityChange(svc, effects.sailingIds, { routes: effects.routes });
  log.info("payment applied", { sessionId: paid.sessionId, outcome });
  return outcome;
}

async function expireOpenSessions(tx: Tx, bookingId: string) {
  const open = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), eq(payments.status, "PENDING")));
  for (const p of open) {
    await enqueue(tx, "expire_checkout_session", { paymentId: p.id }, { jobKey: `expire-session:${p.id}` });
  }
}

function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

/** How long transient operator errors are retried after the payment before the booking is refunded. */
export const OPERATOR_CONFIRM_BOUND_MS = 15 * 60_000;

async function awaitOperators(tx: Tx, booking: Booking, now: Date) {
  await tx.update(bookings).set({ status: "CONFIRMING", updatedAt: now }).where(eq(bookings.id, booking.id));
  await tx.execute(sql`select graphile_worker.remove_job(${`hold:${booking.id}`})`);
  const until = new Date(now.getTime() + OPERATOR_CONFIRM_BOUND_MS).toISOString();
  await enqueue(
    tx,
    "confirm_operator_booking",
    { bookingId: booking.id, until },
    { jobKey: `confirm-operator:${booking.id}`, maxAttempts: 25 },
  );
}

async function confirm(tx: Tx, booking: Booking, now: Date) {
  await tx
    .update(bookings)
    .set({ status: "CONFIRMED", confirmedAt: now, updatedAt: now })
    .where(eq(bookings.id, booking.id));
  // The hold's expiry job has nothing left to do.
  await tx.execute(sql`select graphile_worker.remove_job(${`hold:${booking.id}`})`);
  await queueBookingEmail(tx, booking, {
    kind: "booking_confirmed",
    dedupeKey: `confirmed:${booking.id}`,
  });
}

/**
 * Ends a hold: releases the places, marks the booking EXPIRED, tells the traveller, and schedules the
 * expiry of any open Checkout session. Does nothing unless the booking is still pending and its hold is
 * over, so the per-booking job and the sweep can both run it.
 */
export async function expireHold(svc: Services, bookingId: string): Promise<boolean> {
  const now = svc.clock.now();
  let released: number[] = [];
  const expired = await svc.db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (b?.status !== "PENDING_PAYMENT" || b.holdExpiresAt.getTime() > now.getTime()) return false;
    released = await releaseHeld(tx, b.id);
    await releaseConnectedLegs(tx, b);
    await tx
      .update(bookings)
      .set({ status: "EXPIRED", expiredAt: now, updatedAt: now })
      .where(eq(bookings.id, b.id));
    await expireOpenSessions(tx, b.id);
    await queueBookingEmail(tx, b, {
      kind: "hold_expired",
      dedupeKey: `expired:${b.id}`,
    });
    return true;
  });
  if (expired) {
    metrics().bookings.inc({ status: "EXPIRED" });
    await invalidateAfterCapacityChange(svc, released, { routes: false });
    svc.log.info("hold expired", { bookingId });
  }
  return expired;
}

/** The cron backstop: every hold past its end, in case a per-booking job was lost or delayed. */
export async function expireOverdueHolds(svc: Services, limit = 200): Promise<number> {
  const now = svc.clock.now();
  const due = await svc.db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.status, "PENDING_PAYMENT"), lte(bookings.holdExpiresAt, now)))
    .limit(limit);
  let n = 0;
  for (const b of due) if (await expireHold(svc, b.id)) n++;
  return n;
}
