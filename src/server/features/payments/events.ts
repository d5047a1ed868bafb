import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { payments, stripeEvents } from "@/server/db/schema/payments";
import type { Services } from "@/server/services";
import { applyStripeRefund } from "./refunds";

/** A Checkout session Stripe says is paid: what payments hands to the booking that was being paid for. */
export interface PaidCheckout {
  sessionId: string;
  paymentIntentId: string | null;
  /** What Stripe actually charged (the session's `amount_total`), in minor units. */
  amountTotal: number;
  /** The session's `currency` as Stripe sends it (lower case). */
  currency: string;
  metadata: Record<string, string>;
}

/**
 * One recorded Stripe event (the process_stripe_event job). Payments handles what is its own — failed and
 * expired sessions, refunds — and hands a paid session to `onPaid`, which confirms (or refunds) the
 * booking: booking/payment-events.ts passes `applyPaidCheckout`, so payments never depends on booking.
 *
 * Each handler is idempotent against our own state (compare-and-set on payments, bookings and refunds),
 * so a replay, a duplicate delivery or an out-of-order event changes nothing twice: an `expired` after
 * `completed` finds the payment COMPLETED and leaves it alone.
 */
export async function handleStripeEvent(
  svc: Services,
  eventId: string,
  onPaid: (paid: PaidCheckout) => Promise<unknown>,
): Promise<void> {
  const [row] = await svc.db.select().from(stripeEvents).where(eq(stripeEvents.id, eventId));
  if (!row || row.processedAt) return;
  const event = row.payload as Stripe.Event;
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const s = event.data.object;
      // A completed session with a delayed method (bank debit) is not paid yet: wait for async_payment_succeeded.
      if (s.payment_status !== "paid" && s.payment_status !== "no_payment_required") break;
      await onPaid({
        sessionId: s.id,
        paymentIntentId:
          typeof s.payment_intent === "string" ? s.payment_intent : (s.payment_intent?.id ?? null),
        amountTotal: s.amount_total ?? 0,
        // No currency at all cannot match the booking's, so such a payment is refunded, never confirmed.
        currency: s.currency ?? "",
        metadata: (s.metadata ?? {}) as Record<string, string>,
      });
      break;
    }
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired": {
      const s = event.data.object;
      await svc.db
        .update(payments)
        .set({
          status: "FAILED",
          failureMessage:
            event.type === "checkout.session.expired" ? "Checkout session expired" : "The payment failed",
          updatedAt: svc.clock.now(),
        })
        .where(and(eq(payments.checkoutSessionId, s.id), eq(payments.status, "PENDING")));
      break;
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const pi =
        typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
      if (!pi) break;
      // Read the refunds' current state rather than trusting this event's snapshot.
      const list = await svc.stripe.refunds.list({ payment_intent: pi, limit: 100 });
      for (const r of list.data) await applyStripeRefund(svc, r);
      break;
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed": {
      const current = await svc.stripe.refunds.retrieve(event.data.object.id);
      await applyStripeRefund(svc, current);
      break;
    }
    default:
      svc.log.debug("stripe event ignored", { eventId, type: event.type });
  }
  await svc.db.update(stripeEvents).set({ processedAt: svc.clock.now() }).where(eq(stripeEvents.id, eventId));
}
