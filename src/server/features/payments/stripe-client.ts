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

/**
 * Per-request options for the Checkout calls a traveller waits on (`booking.create`, `booking.pay`): a short
 * timeout and no SDK retry, so a hanging Stripe costs at most this long and `booking.create` still answers
 * within 3 s (the rest of it takes well under a second). Safe to give up early: the call carries an
 * idempotency key and parameters stored before it, so `booking.pay` later gets the same session back.
 * Worker jobs (refunds, expiry) keep the client's longer timeout and its retry.
 */
export const CHECKOUT_REQUEST_OPTIONS = { timeout: 2_000, maxNetworkRetries: 0 } as const;

const g = globalThis as unknown as { __traverseStripe?: Stripe };

export function getStripe(): Stripe {
  g.__traverseStripe ??= createStripe({
    secretKey: required("STRIPE_SECRET_KEY", "Payments need a Stripe key."),
    apiBase: env.STRIPE_API_BASE,
  });
  return g.__traverseStripe;
}

export function webhookSecret(): string {
  return required("STRIPE_WEBHOOK_SECRET", "Webhooks cannot be verified without it.");
}
