import { eq, or } from "drizzle-orm";
import { z } from "zod";
import { payments } from "@/server/db/schema/payments";
import { ensureCheckoutSession } from "@/server/features/payments/checkout";
import type { Client } from "@/server/features/security/client-address";
import { consumeRateLimit } from "@/server/features/security/rate-limit";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { cancelBooking, refundPreview } from "./cancel";
import type { bookingLookupInput } from "./input";
import { findBooking, LOOKUP_RATE_LIMIT } from "./lookup";
import { getBookingView } from "./view";

/**
 * The traveller's own booking, found by reference + email. `client` is the requester (server/api/context.ts):
 * lookups are rate limited per client address, refused in the client's language.
 */
type Lookup = z.output<typeof bookingLookupInput>;

/** Reference + email, rate limited per client so references cannot be guessed by brute force. */
async function authorised(svc: Services, input: Lookup, client: Client) {
  await consumeRateLimit(svc.db, LOOKUP_RATE_LIMIT, client.ip, svc.clock.now(), client.locale);
  return findBooking(svc.db, input.reference, input.email);
}

export async function viewForTraveller(svc: Services, input: Lookup, client: Client) {
  const b = await authorised(svc, input, client);
  return getBookingView(svc.db, b.id);
}

export async function payForTraveller(
  svc: Services,
  input: Lookup,
  client: Client,
): Promise<{ checkoutUrl: string }> {
  const b = await authorised(svc, input, client);
  const { url } = await ensureCheckoutSession(svc, b.id);
  return { checkoutUrl: url };
}

export async function previewForTraveller(svc: Services, input: Lookup, client: Client) {
  const b = await authorised(svc, input, client);
  return refundPreview(svc, b.id);
}

export async function cancelForTraveller(svc: Services, input: Lookup, client: Client) {
  const b = await authorised(svc, input, client);
  return cancelBooking(svc, b.id);
}

export const checkoutStatusInput = z
  .object({ sessionId: z.string().min(5).max(255).optional(), paymentId: z.uuid().optional() })
  .refine((i) => i.sessionId || i.paymentId, "Give the checkout session or payment id.");

/**
 * The return from Stripe Checkout: the session id (success page) or our payment id (cancel page) is an
 * unguessable secret only the payer has, so it is enough to show them their booking.
 */
export async function viewForCheckout(svc: Services, input: z.output<typeof checkoutStatusInput>) {
  if (!input.sessionId && !input.paymentId) throw new AppError("BAD_REQUEST", "Missing checkout session.");
  const [p] = await svc.db
    .select({ bookingId: payments.bookingId })
    .from(payments)
    .where(
      or(
        input.sessionId ? eq(payments.checkoutSessionId, input.sessionId) : undefined,
        input.paymentId ? eq(payments.id, input.paymentId) : undefined,
      ),
    );
  if (!p)
    throw new AppError(
      "NOT_FOUND",
      "We could not find this payment. If you paid, check your email for the confirmation.",
    );
  return getBookingView(svc.db, p.bookingId);
}
