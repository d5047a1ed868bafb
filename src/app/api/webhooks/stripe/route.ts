import { getDb } from "@/server/db/client";
import { getStripe, webhookSecret } from "@/server/features/payments/stripe-client";
import { receiveStripeWebhook } from "@/server/features/payments/webhook";
import { isAppError, isDatabaseUnavailable } from "@/server/lib/errors";
import { log } from "@/server/lib/log";

export const dynamic = "force-dynamic";

/** Stripe → us. Raw body read once (the signature covers exact bytes), recorded and queued, then 200. */
export async function POST(req: Request) {
  const raw = await req.text();
  try {
    const r = await receiveStripeWebhook(
      { db: getDb(), stripe: getStripe(), secret: webhookSecret() },
      raw,
      req.headers.get("stripe-signature"),
    );
    return Response.json({ received: true, duplicate: r.duplicate });
  } catch (e) {
    if (isAppError(e) && e.httpStatus < 500)
      return Response.json({ error: e.message }, { status: e.httpStatus });
    // Anything else: Stripe retries with backoff, which is what we want while the database is down.
    log.error("webhook not recorded", { error: (e as Error).message, dbDown: isDatabaseUnavailable(e) });
    return Response.json({ error: "Temporarily unavailable" }, { status: 503 });
  }
}
