import { Resend } from "resend";
import { env, required } from "@/env";

/**
 * How the worker reaches Resend. Held per process (like the DB pool) and replaceable so tests and the
 * benchmark can point it at their own in-process emulator without touching process.env.
 */
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

const g = globalThis as unknown as { __traverseEmailTransport?: EmailTransport };

export function getEmailTransport(): EmailTransport {
  g.__traverseEmailTransport ??= {
    resend: createResend({
      apiKey: required("RESEND_API_KEY", "Emails cannot be sent without it."),
      baseUrl: env.RESEND_BASE_URL,
    }),
    from: env.EMAIL_FROM,
    requestsPerSecond: env.RESEND_RATE_LIMIT,
    timeoutMs: 10_000,
  };
  return g.__traverseEmailTransport;
}

/** Tests and the benchmark: send through this transport instead of the one built from the environment. */
export function setEmailTransport(
  opts: { apiKey: string; baseUrl: string } & Partial<Omit<EmailTransport, "resend">>,
): EmailTransport {
  g.__traverseEmailTransport = {
    resend: createResend(opts),
    from: opts.from ?? env.EMAIL_FROM,
    requestsPerSecond: opts.requestsPerSecond ?? env.RESEND_RATE_LIMIT,
    timeoutMs: opts.timeoutMs ?? 10_000,
  };
  return g.__traverseEmailTransport;
}
