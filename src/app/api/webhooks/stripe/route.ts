import { appServices } from "@/server/app-services";
import { webhookSecret } from "@/server/features/payments/stripe-client";
import { receiveStripeWebhook } from "@/server/features/payments/webhook";
import { readBodyCapped } from "@/server/lib/body-limit";
import { isAppError, isDatabaseUnavailable } from "@/server/lib/errors";
import { withLogContext } from "@/server/lib/log";
import { metrics } from "@/server/lib/metrics";
import { requestIdOf } from "@/server/lib/request-id";

export const dynamic = "force-dynamic";

/** Stripe's events are a few KiB, a large invoice or session some hundreds: this leaves ample room. */
const WEBHOOK_MAX_BODY_BYTES = 512 * 1024;

/** Stripe → us. Raw body read once (the signature covers exact bytes), recorded and queued, then 200. */
export async function POST(req: Request) {
  const end = metrics().httpDuration.startTimer({ procedure: "POST /api/webhooks/stripe" });
  const res = await withLogContext({ requestId: requestIdOf(req.headers) }, () => receive(req));
  end({ outcome: res.status < 400 ? "ok" : res.status < 500 ? "client_error" : "server_error" });
  return res;
}

async function receive(req: Request): Promise<Response> {
  const body = await readBodyCapped(req, WEBHOOK_MAX_BODY_BYTES);
  if (!body) {
    return Response.json(
      { error: `Payload too large: at most ${WEBHOOK_MAX_BODY_BYTES / 1024} KiB are accepted.` },
      { status: 413 },
    );
  }
  const raw = new TextDecoder().decode(body);
  const svc = appServices();
  try {
    const r = await receiveStripeWebhook(svc, {
      rawBody: raw,
      signature: req.headers.get("stripe-signature"),
      secret: webhookSecret(),
    });
    return Response.json({ received: true, duplicate: r.duplicate });
  } catch (e) {
    if (isAppError(e) && e.httpStatus < 500)
      return Response.json({ error: e.message }, { status: e.httpStatus });
    // Anything else: Stripe retries with backoff, which is what we want while the database is down.
    svc.log.error("webhook not recorded", { error: e, dbDown: isDatabaseUnavailable(e) });
    return Response.json({ error: "Temporarily unavailable" }, { status: 503 });
  }
}
