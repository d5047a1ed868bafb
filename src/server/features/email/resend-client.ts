import { Resend } from "resend";
import { env, required } from "@/env";

/** How the worker reaches Resend: `svc.email`, built once per Services (see src/server/services.ts). */
export interface EmailTransport {
  resend: Resend;
  from: string;
  /** Resend allows this many API requests per second per team; the batch path paces itself to it. */
  requestsPerSecond: number;
  /** Abort a request that hangs: the retry carries the same idempotency key, so aborting is safe. */
  timeoutMs: number;
}

export function createResend(opts: { apiKey: string; baseUrl?: string }): Resend {
  // The key is always passed in: with an empty key the SDK would fall back to reading process.env itself.
  return new Resend(opts.apiKey, opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/$/, "") } : undefined);
}

/** A transport to the Resend API at `baseUrl` (tests and benchmarks: their own emulator). */
export function emailTransport(
  opts: { apiKey: string; baseUrl?: string } & Partial<Omit<EmailTransport, "resend">>,
): EmailTransport {
  return {
    resend: createResend(opts),
    from: opts.from ?? env.EMAIL_FROM,
    requestsPerSecond: opts.requestsPerSecond ?? env.RESEND_RATE_LIMIT,
    timeoutMs: opts.timeoutMs ?? 10_000,
  };
}

/** The transport for RESEND_API_KEY; a ConfigError that says what to set when the key is missing. */
export function emailTransportFromEnv(): EmailTransport {
  return emailTransport({
    apiKey: required("RESEND_API_KEY", "Emails cannot be sent without it."),
    baseUrl: env.RESEND_BASE_URL,
  });
}
