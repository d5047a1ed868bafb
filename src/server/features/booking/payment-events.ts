import { handleStripeEvent } from "@/server/features/payments/events";
import type { Services } from "@/server/services";
import { applyPaidCheckout } from "./lifecycle";

/**
 * The process_stripe_event job: payments handles the event, and a paid Checkout session comes back here
 * to confirm (or refund) its booking (`applyPaidCheckout`). Booking depends on payments, never the reverse.
 */
export async function processStripeEvent(svc: Services, eventId: string): Promise<void> {
  await handleStripeEvent(svc, eventId, (paid) => applyPaidCheckout(svc, paid));
}
