import { and, desc, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { appUrl } from "@/env";
import type { DbOrTx } from "@/server/db/client";
import { loadBooking } from "@/server/db/queries/booking";
import { bookings } from "@/server/db/schema/bookings";
import { payments } from "@/server/db/schema/payments";
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
    const [created] = await tx.insert(payments).values(newPayment(b, now)).returning();
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

  return createCheckoutSession(svc, payment.id, await sessionParams(svc.db, booking, payment), opts);
}

/**
 * The payment row a new Checkout session starts from: `createBooking` inserts it in the booking's own
 * transaction (with an id of its own: it builds the session's parameters without reading the row back),
 * `ensureCheckoutSession` when the last session is spent.
 */
export function newPayment(
  b: Pick<typeof bookings.$inferSelect, "id" | "totalAmount" | "currency" | "holdExpiresAt">,
  now: Date,
) {
  const expires = Math.max(b.holdExpiresAt.getTime(), now.getTime() + STRIPE_MIN_SESSION_MS);
  return {
    bookingId: b.id,
    amount: b.totalAmount,
    currency: b.currency,
    // Whole seconds: Stripe's expires_at is a Unix timestamp, and replays must match exactly.
    checkoutExpiresAt: new Date(Math.ceil(expires / 1000) * 1000),
    // Not in the session's metadata: Stripe refuses a replayed idempotency key whose body differs.
    traceParent: currentTraceparent() ?? null,
  };
}

/** Creates the session of a payment row that has none yet, and stores it on the row. */
export async function createCheckoutSession(
  svc: Services,
  paymentId: string,
  params: Stripe.Checkout.SessionCreateParams,
  opts: CheckoutOptions = {},
): Promise<{ url: string }> {
  const stripe = svc.stripe;
  let session: Stripe.Checkout.Session;
  try {
    session = await inSpan("stripe.checkout.sessions.create", { kind: SpanKind.CLIENT }, () =>
      stripe.checkout.sessions.create(params, {
        ...checkoutRequestOptions(opts.answerBy),
        idempotencyKey: `checkout:${paymentId}`,
      }),
    );
  } catch (e) {
    throw paymentProviderError(e);
  }
  await svc.db
    .update(payments)
    .set({ checkoutSessionId: session.id, checkoutUrl: session.url, updatedAt: svc.clock.now() })
    .where(eq(payments.id, paymentId));
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

/** Everything a Checkout session shows and charges, as stored with the booking. */
export interface CheckoutSource {
  booking: Pick<typeof bookings.$inferSelect, "id" | "reference" | "contactEmail" | "locale">;
  payment: { id: string; checkoutExpiresAt: Date };
  legs: { direction: string; from: string; to: string; departureAt: Date }[];
  /** In the order they were inserted (`price_lines.id`). */
  lines: { direction: string; description: string; quantity: number; unitAmount: number; currency: string }[];
}

/**
 * The one place a session's parameters are made. A pure function of stored values, so `createBooking`
 * (from what it has just inserted) and a retry (from the rows, `sessionParams`) send the same body under
 * the same idempotency key; tests/booking/checkout-params.test.ts holds the two to that.
 */
export function checkoutParams(src: CheckoutSource): Stripe.Checkout.SessionCreateParams {
  const { booking: b, payment } = src;
  const legName = (dir: string) => {
    const l = src.legs.find((x) => x.direction === dir);
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
    line_items: src.lines.map((l) => ({
      quantity: l.quantity,
      price_data: {
        currency: l.currency.toLowerCase(),
        unit_amount: l.unitAmount,
        product_data: { name: `${b.reference} · ${legName(l.direction)} · ${l.description}` },
      },
    })),
    expires_at: Math.floor(payment.checkoutExpiresAt.getTime() / 1000),
    success_url: `${base}/${b.locale}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${base}/${b.locale}/checkout/cancelled?payment=${payment.id}`,
  };
}

/** `checkoutParams` from the stored rows. */
export async function sessionParams(
  db: DbOrTx,
  b: typeof bookings.$inferSelect,
  payment: typeof payments.$inferSelect,
): Promise<Stripe.Checkout.SessionCreateParams> {
  const doc = await loadBooking(db, { id: b.id }, "document");
  return checkoutParams({
    booking: b,
    payment: { id: payment.id, checkoutExpiresAt: payment.checkoutExpiresAt as Date },
    legs: (doc?.legs ?? []).map((l) => ({
      direction: l.direction,
      from: l.from.code,
      to: l.to.code,
      departureAt: l.departureAt,
    })),
    lines: doc?.priceLines ?? [],
  });
}
