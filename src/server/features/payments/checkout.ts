import { and, asc, desc, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { appUrl } from "@/env";
import type { DbOrTx } from "@/server/db/client";
import { bookingLegs, bookings, priceLines } from "@/server/db/schema/bookings";
import { routes } from "@/server/db/schema/network";
import { payments } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { AppError } from "@/server/lib/errors";
import { currentTraceparent, inSpan, SpanKind } from "@/server/lib/tracing";
import type { Services } from "@/server/services";
import { checkoutRequestOptions } from "./stripe-client";

/** Stripe refuses a Checkout session that expires sooner than 30 minutes after it is created. */
const STRIPE_MIN_SESSION_MS = 30 * 60_000 + 60_000;

export interface CheckoutOptions {
  /** `performance.now()` time by which the caller must answer a traveller (shortens the Stripe timeout). */
  answerBy?: number;
}

/**
 * Returns a Checkout URL for a pending booking: the open session when there is one, else a new one.
 *
 * Every Stripe parameter is derived from rows stored before the call (the payment row carries the
 * session's expiry), so a retry after a timeout sends the same parameters with the same idempotency key
 * (`checkout:<payment id>`) and gets the same session back instead of a duplicate or an idempotency error.
 * The session may outlive the 30-minute hold (Stripe's minimum); the hold's expiry job expires it.
 */
export async function ensureCheckoutSession(
  svc: Services,
  bookingId: string,
  opts: CheckoutOptions = {},
): Promise<{ url: string }> {
  // Read first: without a Stripe key this throws its ConfigError before anything is written.
  const stripe = svc.stripe;
  const now = svc.clock.now();
  const { booking, payment } = await svc.db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (!b) throw new AppError("NOT_FOUND", "We could not find this booking.");
    assertPayable(b, now);
    const [latest] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.bookingId, bookingId), eq(payments.status, "PENDING")))
      .orderBy(desc(payments.createdAt))
      .limit(1);
    if (latest && (latest.checkoutExpiresAt?.getTime() ?? 0) > now.getTime() + 60_000) {
      return { booking: b, payment: latest };
    }
    if (latest) {
      await tx
        .update(payments)
        .set({ status: "FAILED", failureMessage: "Checkout session expired before payment", updatedAt: now })
        .where(eq(payments.id, latest.id));
    }
    const expires = Math.max(b.holdExpiresAt.getTime(), now.getTime() + STRIPE_MIN_SESSION_MS);
    const [created] = await tx
      .insert(payments)
      .values({
        bookingId,
        amount: b.totalAmount,
        currency: b.currency,
        // Whole seconds: Stripe's expires_at is a Unix timestamp, and replays must match exactly.
        checkoutExpiresAt: new Date(Math.ceil(expires / 1000) * 1000),
        // Not in the session's metadata: Stripe refuses a replayed idempotency key whose body differs.
        traceParent: currentTraceparent() ?? null,
      })
      .returning();
    return { booking: b, payment: created! };
  });

  if (payment.checkoutSessionId) {
    const session = await stripe.checkout.sessions
      .retrieve(payment.checkoutSessionId, {}, checkoutRequestOptions(opts.answerBy))
      .catch((e: unknown) => {
        throw paymentProviderError(e);
      });
    if (session.status === "open" && session.url) return { url: session.url };
    if (session.status === "complete") {
      throw new AppError(
        "ALREADY_PAID",
        "This booking has just been paid: it will be confirmed in a moment.",
      );
    }
    // Expired on Stripe's side: forget it and start a fresh session.
    await svc.db
      .update(payments)
      .set({ status: "FAILED", failureMessage: "Checkout session expired before payment", updatedAt: now })
      .where(and(eq(payments.id, payment.id), eq(payments.status, "PENDING")));
    return ensureCheckoutSession(svc, bookingId, opts);
  }

  const params = await sessionParams(svc.db, booking, payment);
  let session: Stripe.Checkout.Session;
  try {
    session = await inSpan("stripe.checkout.sessions.create", { kind: SpanKind.CLIENT }, () =>
      stripe.checkout.sessions.create(params, {
        ...checkoutRequestOptions(opts.answerBy),
        idempotencyKey: `checkout:${payment.id}`,
      }),
    );
  } catch (e) {
    throw paymentProviderError(e);
  }
  await svc.db
    .update(payments)
    .set({ checkoutSessionId: session.id, checkoutUrl: session.url, updatedAt: svc.clock.now() })
    .where(eq(payments.id, payment.id));
  if (!session.url)
    throw new AppError("SERVICE_UNAVAILABLE", "The payment page is not available. Try again in a moment.");
  return { url: session.url };
}

/** A refusal is the traveller's to fix; anything else (down, timed out, in progress) is worth a retry. */
function paymentProviderError(e: unknown): AppError {
  const err = e as { type?: string; message?: string };
  if (err.type === "StripeInvalidRequestError") {
    return new AppError("BAD_REQUEST", `Our payment provider refused this payment: ${err.message}`);
  }
  return new AppError(
    "STRIPE_UNAVAILABLE",
    "We could not reach our payment provider. Your places are held: try again in a moment.",
    undefined,
    { cause: e },
  );
}

export function assertPayable(b: typeof bookings.$inferSelect, now: Date) {
  if (b.status === "CONFIRMED") {
    throw new AppError("ALREADY_CONFIRMED", "This booking is already paid and confirmed.");
  }
  if (b.status !== "PENDING_PAYMENT" || b.holdExpiresAt.getTime() <= now.getTime()) {
    throw new AppError(
      "HOLD_EXPIRED",
      "The 30-minute hold on your places has ended, so this booking can no longer be paid. Search again to book.",
    );
  }
}

async function sessionParams(
  db: DbOrTx,
  b: typeof bookings.$inferSelect,
  payment: typeof payments.$inferSelect,
): Promise<Stripe.Checkout.SessionCreateParams> {
  const [lines, legs] = await Promise.all([
    db.select().from(priceLines).where(eq(priceLines.bookingId, b.id)).orderBy(asc(priceLines.id)),
    db
      .select({
        direction: bookingLegs.direction,
        from: routes.fromPort,
        to: routes.toPort,
        departureAt: sailings.departureAt,
      })
      .from(bookingLegs)
      .innerJoin(sailings, eq(sailings.id, bookingLegs.sailingId))
      .innerJoin(routes, eq(routes.id, sailings.routeId))
      .where(eq(bookingLegs.bookingId, b.id)),
  ]);
  const legName = (dir: string) => {
    const l = legs.find((x) => x.direction === dir);
    return l ? `${l.from}→${l.to} ${l.departureAt.toISOString().slice(0, 10)}` : dir;
  };
  const metadata = { booking_id: b.id, reference: b.reference, payment_id: payment.id };
  const base = appUrl();
  return {
    mode: "payment",
    client_reference_id: b.id,
    customer_email: b.contactEmail,
    metadata,
    payment_intent_data: { metadata },
    line_items: lines.map((l) => ({
      quantity: l.quantity,
      price_data: {
        currency: l.currency.toLowerCase(),
        unit_amount: l.unitAmount,
        product_data: { name: `${b.reference} · ${legName(l.direction)} · ${l.description}` },
      },
    })),
    expires_at: Math.floor((payment.checkoutExpiresAt as Date).getTime() / 1000),
    success_url: `${base}/${b.locale}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${base}/${b.locale}/checkout/cancelled?payment=${payment.id}`,
  };
}
