import type Stripe from "stripe";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { payments, stripeEvents } from "@/server/db/schema/payments";
import { AppError } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import { contextFromTraceparent, inSpan, SpanKind, tracingEnabled } from "@/server/lib/tracing";
import type { Services } from "@/server/services";

const eventShape = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  data: z.object({}).loose(),
});

/** Stripe's own default: a signature older than 5 minutes is a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface StripeDelivery {
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: string;
  /** The Stripe-Signature header. */
  signature: string | null;
  /** The endpoint's signing secret (STRIPE_WEBHOOK_SECRET). */
  secret: string;
}

/**
 * A Stripe webhook delivery: verify the signature on the raw body, then in one transaction record the
 * event (its id is the primary key, so redeliveries are dropped here) and enqueue its processing. Nothing
 * slow happens before the 200: the worker does the rest (`processStripeEvent`).
 */
export async function receiveStripeWebhook(
  svc: Services,
  input: StripeDelivery,
): Promise<{ duplicate: boolean; eventId: string }> {
  const { rawBody, signature, secret } = input;
  if (!signature) throw new AppError("BAD_REQUEST", "Missing Stripe-Signature header.");
  let event: Stripe.Event;
  try {
    event = svc.stripe.webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch {
    throw new AppError("BAD_REQUEST", "Webhook signature verification failed.");
  }
  // A validly signed body that is not an event can never be processed: refuse it (400) rather than let
  // Stripe retry it for days.
  const shape = eventShape.safeParse(event);
  if (!shape.success) throw new AppError("BAD_REQUEST", "The webhook body is not a Stripe event.");
  // A Checkout session's events continue the trace of the request that created the payment, so one
  // trace runs from the traveller's booking through the webhook and its jobs to the confirmation email.
  const parent = await checkoutTraceParent(svc, event);
  return inSpan(
    "stripe.webhook",
    {
      kind: SpanKind.SERVER,
      attributes: { "stripe.event_type": event.type },
      ...(parent ? { parent: contextFromTraceparent(parent) } : {}),
    },
    () => record(svc, event),
  );
}

async function checkoutTraceParent(svc: Services, event: Stripe.Event): Promise<string | null> {
  if (!tracingEnabled() || !event.type.startsWith("checkout.session.")) return null;
  const sessionId = (event.data.object as { id?: unknown }).id;
  if (typeof sessionId !== "string" || !sessionId) return null;
  const [row] = await svc.db
    .select({ traceParent: payments.traceParent })
    .from(payments)
    .where(eq(payments.checkoutSessionId, sessionId));
  return row?.traceParent ?? null;
}

function record(svc: Services, event: Stripe.Event): Promise<{ duplicate: boolean; eventId: string }> {
  return svc.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, payload: event })
      .onConflictDoNothing({ target: stripeEvents.id })
      .returning({ id: stripeEvents.id });
    if (inserted.length === 0) return { duplicate: true, eventId: event.id };
    await enqueue(
      tx,
      "process_stripe_event",
      { eventId: event.id },
      // Ahead of emails and sweeps: a traveller is watching the success page for this one.
      { jobKey: `stripe:${event.id}`, maxAttempts: 25, priority: -10 },
    );
    return { duplicate: false, eventId: event.id };
  });
}
