import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/server/db/client";
import { payments, stripeEvents } from "@/server/db/schema/payments";
import { applyPaidCheckout } from "@/server/features/booking/lifecycle";
import type { Cache } from "@/server/features/cache/cache";
import { log } from "@/server/lib/log";
import { applyStripeRefund } from "./refunds";

export interface EventDeps {
  db: Db;
  cache: Cache;
  stripe: Stripe;
  now?: () => Date;
}

/**
 * The process_stripe_event job. Each handler is idempotent against our own state (compare-and-set on
 * payments, bookings and refunds), so a replay, a duplicate delivery or an out-of-order event changes
 * nothing twice: an `expired` after `completed` finds the payment COMPLETED and leaves it alone.
 */
export async function processStripeEvent(deps: EventDeps, eventId: string): Promise<void> {
  const [row] = await deps.db.select().from(stripeEvents).where(eq(stripeEvents.id, eventId));
  if (!row || row.processedAt) return;
  const event = row.payload as Stripe.Event;
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const s = event.data.object;
      // A completed session with a delayed method (bank debit) is not paid yet: wait for async_payment_succeeded.
      if (s.payment_status !== "paid" && s.payment_status !== "no_payment_required") break;
      await applyPaidCheckout(deps, {
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
      await deps.db
        .update(payments)
        .set({
          status: "FAILED",
          failureMessage:
            event.type === "checkout.session.expired" ? "Checkout session expired" : "The payment failed",
          updatedAt: new Date(),
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
      const list = await deps.stripe.refunds.list({ payment_intent: pi, limit: 100 });
      for (const r of list.data) await applyStripeRefund(deps.db, r);
      break;
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed": {
      const current = await deps.stripe.refunds.retrieve(event.data.object.id);
      await applyStripeRefund(deps.db, current);
      break;
    }
    default:
      log.debug("stripe event ignored", { eventId, type: event.type });
  }
  await deps.db.update(stripeEvents).set({ processedAt: new Date() }).where(eq(stripeEvents.id, eventId));
}
