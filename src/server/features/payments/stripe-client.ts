import Stripe from "stripe";
import { env, required } from "@/env";

/**
 * The Stripe SDK, pointed at STRIPE_API_BASE when it is set (the emulator in dev and tests). One quick
 * network retry at most: callers either answer a person who is waiting, or are worker jobs that
 * graphile-worker retries with backoff anyway.
 */
export function createStripe(opts: {
  secretKey: string;
  apiBase?: string;
  maxNetworkRetries?: number;
}): Stripe {
  const config: Stripe.StripeConfig = {
    maxNetworkRetries: opts.maxNetworkRetries ?? 1,
    timeout: 10_000,
    telemetry: false,
  };
  if (opts.apiBase) {
    const u = new URL(opts.apiBase);
    config.host = u.hostname;
    config.port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    config.protocol = u.protocol === "https:" ? "https" : "http";
  }
  return new Stripe(opts.secretKey, config);
}

/** The longest a traveller waits on a Checkout call (`booking.create`, `booking.pay`). */
export const CHECKOUT_TIMEOUT_MS = 2_000;

/**
 * Per-request options for the Checkout calls a traveller waits on: a short timeout and no SDK retry, so a
 * hanging Stripe costs at most CHECKOUT_TIMEOUT_MS — less when the caller must answer by `answerBy` (a
 * `performance.now()` time) and has already spent part of its budget, but never under 300 ms. Giving up
 * early is safe: the call carries an idempotency key and parameters stored before it, so `booking.pay`
 * later gets the same session back. Worker jobs (refunds, expiry) keep the client's longer timeout and retry.
 */
export function checkoutRequestOptions(answerBy?: number): { timeout: number; maxNetworkRetries: 0 } {
  const left = answerBy === undefined ? CHECKOUT_TIMEOUT_MS : answerBy - performance.now();
  return { timeout: Math.round(Math.min(CHECKOUT_TIMEOUT_MS, Math.max(300, left))), maxNetworkRetries: 0 };
}

/** The client for STRIPE_SECRET_KEY; a ConfigError that says what to set when the key is missing. */
export function stripeFromEnv(): Stripe {
  return createStripe({
    secretKey: required("STRIPE_SECRET_KEY", "Payments need a Stripe key."),
    apiBase: env.STRIPE_API_BASE,
  });
}

export function webhookSecret(): string {
  return required("STRIPE_WEBHOOK_SECRET", "Webhooks cannot be verified without it.");
}
