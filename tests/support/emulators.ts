/**
 * Calls to the emulators' test-only control API (`/_emulator/…`, see emulators/*\/control.ts) and the few
 * direct requests the stacks' users make: pay a Checkout session, read what Stripe sent and what Resend
 * received, inject a fault, send one Upstash command. Each takes the emulator's base URL, so it works for
 * any stack (faults, benchmarks, e2e) and throws with the emulator's answer when it refuses.
 */

async function control(base: string, route: string, body: unknown, timeoutMs: number): Promise<unknown> {
  const res = await fetch(`${base}/_emulator/${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${base}/_emulator/${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The 4242 test card: a payment that succeeds. */
export const TEST_CARD = "4242424242424242";

/** The Checkout session id in a checkout URL (`…/pay/cs_…`), or null. */
export function sessionIdOf(checkoutUrl: string | null | undefined): string | null {
  return checkoutUrl ? (checkoutUrl.split("/pay/")[1]?.split(/[?#]/)[0] ?? null) : null;
}

/** POST (with a body, default `{}`) or GET (body `undefined`) to a Stripe emulator control route. */
export function stripeControl(stripeUrl: string, route: string, body: unknown = {}): Promise<unknown> {
  // Long: `deliver` answers once every delivery of a storm has been attempted.
  return control(stripeUrl, route, body, 120_000);
}

/** Pays a Checkout session on the Stripe emulator (no browser); throws when the emulator refuses. */
export async function payOnStripe(stripeUrl: string, sessionId: string, card = TEST_CARD): Promise<void> {
  await control(stripeUrl, `checkout/sessions/${sessionId}/pay`, { card }, 10_000);
}

/** Pays and says whether the emulator accepted, for load generators that count refusals. */
export async function tryPayOnStripe(stripeUrl: string, sessionId: string): Promise<boolean> {
  const res = await fetch(`${stripeUrl}/_emulator/checkout/sessions/${sessionId}/pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ card: TEST_CARD }),
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  return res.ok;
}

export interface EmulatorEvent {
  event: { id: string; type: string; data: { object: { id: string; metadata?: Record<string, string> } } };
  delivery: { status: string; attempts: { status: number | null }[] };
}

/** Every event the Stripe emulator made, with its webhook delivery state. */
export async function stripeEvents(stripeUrl: string): Promise<EmulatorEvent[]> {
  return ((await control(stripeUrl, "events", undefined, 10_000)) as { data: EmulatorEvent[] }).data;
}

/** POST to a Resend emulator control route (`down`, `fail-next`, …). */
export async function resendControl(resendUrl: string, route: string, body: unknown = {}): Promise<void> {
  await control(resendUrl, route, body, 10_000);
}

export interface CapturedEmail {
  id: string;
  to: string | string[];
  subject: string;
  html: string;
  text?: string;
  idempotencyKey: string | null;
}

/** Every email the Resend emulator accepted, oldest first. */
export async function resendEmails(resendUrl: string): Promise<CapturedEmail[]> {
  return ((await control(resendUrl, "emails", undefined, 10_000)) as { data: CapturedEmail[] }).data;
}

/** Every API request the Resend emulator answered, with its time (epoch ms). */
export async function resendRequests(resendUrl: string): Promise<{ time: number }[]> {
  return ((await control(resendUrl, "requests", undefined, 10_000)) as { data: { time: number }[] }).data;
}

/** GET (no body) or POST to an Upstash emulator control route (`delay`, `requests`, …). */
export function upstashControl(upstashUrl: string, route: string, body?: unknown): Promise<unknown> {
  return control(upstashUrl, route, body, 10_000);
}

/** One Redis command through the Upstash REST protocol; returns the HTTP answer as it came. */
export async function upstashCommand(
  upstashUrl: string,
  token: string,
  command: (string | number)[],
  timeoutMs = 10_000,
): Promise<{ ok: boolean; status: number; result?: unknown; error?: string }> {
  const res = await fetch(upstashUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify(command),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json().catch(() => ({}))) as { result?: unknown; error?: string };
  return { ok: res.ok, status: res.status, ...body };
}
