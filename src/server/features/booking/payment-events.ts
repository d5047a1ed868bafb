import { eq } from "drizzle-orm";
import { stripeEvents } from "@/server/db/schema/payments";
import { handleStripeEvent } from "@/server/features/payments/events";
import { metrics, secondsBetween } from "@/server/lib/metrics";
import type { Services } from "@/server/services";
import { applyPaidCheckout, type PaymentOutcome } from "./lifecycle";

/**
 * The process_stripe_event job: payments handles the event, and a paid Checkout session comes back here
 * to confirm (or refund) its booking (`applyPaidCheckout`). Booking depends on payments, never the reverse.
 *
 * A booking confirmed here is counted (`traverse_bookings_total{status="CONFIRMED"}`) and the wait the
 * traveller had, from the event's arrival (`stripe_events.received_at`) to now, goes into
 * `traverse_payment_confirmation_seconds`: the same timestamps the admin Operations panel reads.
 */
export async function processStripeEvent(svc: Services, eventId: string): Promise<void> {
  let outcome: PaymentOutcome | undefined;
  await handleStripeEvent(svc, eventId, async (paid) => {
    outcome = await applyPaidCheckout(svc, paid);
    return outcome;
  });
  if (outcome === "CONFIRMED" || outcome === "LATE_CONFIRMED") {
    const m = metrics();
    m.bookings.inc({ status: "CONFIRMED" });
    const [ev] = await svc.db
      .select({ receivedAt: stripeEvents.receivedAt })
      .from(stripeEvents)
      .where(eq(stripeEvents.id, eventId));
    if (ev) m.paymentConfirmation.observe(secondsBetween(ev.receivedAt, svc.clock.now()));
  }
}
