import { expireCheckoutSession } from "@/server/features/payments/expire-session";
import { defineTask } from "../define-task";

/** Closes the Stripe Checkout page of a booking that can no longer be paid (`expireCheckoutSession`). */
export const expireCheckoutSessionTask = defineTask("expire_checkout_session", async ({ paymentId }, svc) => {
  await expireCheckoutSession(svc, paymentId);
});
