import { eq, or } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/server/db/client";
import type { Locale } from "@/server/db/schema/bookings";
import { payments } from "@/server/db/schema/payments";
import type { Cache } from "@/server/features/cache/cache";
import { ensureCheckoutSession } from "@/server/features/payments/checkout";
import { consumeRateLimit } from "@/server/features/security/rate-limit";
import { AppError } from "@/server/lib/errors";
import type Stripe from "stripe";
import { cancelBooking, refundPreview } from "./cancel";
import type { bookingLookupInput } from "./input";
import { findBooking, LOOKUP_RATE_LIMIT } from "./lookup";
import { getBookingView } from "./view";

/** What the traveller-facing procedures need; the tRPC context satisfies it. */
export interface TravellerDeps {
  db: Db;
  cache: Cache;
  stripe: () => Stripe;
  ip: string;
  /** The language of refusals (rate limits); English when unknown. */
  locale?: Locale;
  now?: () => Date;
}

type Lookup = z.output<typeof bookingLookupInput>;

/** Reference + email, rate limited per client so references cannot be guessed by brute force. */
async function authorised(deps: TravellerDeps, input: Lookup) {
  await consumeRateLimit(deps.db, LOOKUP_RATE_LIMIT, deps.ip, deps.now?.() ?? new Date(), deps.locale);
  return findBooking(deps.db, input.reference, input.email);
}

export async function viewForTraveller(deps: TravellerDeps, input: Lookup) {
  const b = await authorised(deps, input);
  return getBookingView(deps.db, b.id);
}

export async function payForTraveller(deps: TravellerDeps, input: Lookup): Promise<{ checkoutUrl: string }> {
  const b = await authorised(deps, input);
  const { url } = await ensureCheckoutSession({ db: deps.db, stripe: deps.stripe(), now: deps.now }, b.id);
  return { checkoutUrl: url };
}

export async function previewForTraveller(deps: TravellerDeps, input: Lookup) {
  const b = await authorised(deps, input);
  return refundPreview(deps, b.id);
}

export async function cancelForTraveller(deps: TravellerDeps, input: Lookup) {
  const b = await authorised(deps, input);
  return cancelBooking(deps, b.id);
}

/**
 * The return from Stripe Checkout: the session id (success page) or our payment id (cancel page) is an
 * unguessable secret only the payer has, so it is enough to show them their booking.
 */
export async function viewForCheckout(
  deps: TravellerDeps,
  input: { sessionId?: string; paymentId?: string },
) {
  if (!input.sessionId && !input.paymentId) throw new AppError("BAD_REQUEST", "Missing checkout session.");
  const [p] = await deps.db
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
  return getBookingView(deps.db, p.bookingId);
}
