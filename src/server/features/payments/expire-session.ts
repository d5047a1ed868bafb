import { eq } from "drizzle-orm";
import { payments } from "@/server/db/schema/payments";
import type { Services } from "@/server/services";

/**
 * Closes the Stripe Checkout page of a booking that can no longer be paid (the expire_checkout_session
 * job), so the traveller cannot pay for places that were released. Stripe refuses to expire a session
 * that is no longer open: that is success here (it completed — the late-payment path handles it — or it
 * already expired).
 */
export async function expireCheckoutSession(svc: Services, paymentId: string): Promise<void> {
  const [p] = await svc.db.select().from(payments).where(eq(payments.id, paymentId));
  if (!p?.checkoutSessionId) return;
  const stripe = svc.stripe;
  const session = await stripe.checkout.sessions.retrieve(p.checkoutSessionId);
  if (session.status !== "open") return;
  try {
    await stripe.checkout.sessions.expire(p.checkoutSessionId, {}, { idempotencyKey: `expire:${p.id}` });
  } catch (e) {
    if ((e as { type?: string }).type !== "StripeInvalidRequestError") throw e;
  }
}
