import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { payOnStripe, sessionIdOf, stripeControl } from "../tests/support/emulators";
import { bookableSailings } from "../tests/support/fixtures";
import { pollUntil } from "../tests/support/poll";
import { expectInvariantsHold } from "./lib/invariants";
import { record, scenarioStack, timer } from "./lib/report";
import { STRIPE_KEY } from "./lib/stack";
import { api, bookingInput, detailOf, expectOneConfirmationEmailEach, statuses } from "./lib/traverse";

/**
 * Stripe hanging (no answer at all) when Checkout sessions are created, while travellers book.
 * `booking.create` must answer within BOUND_MS with the booking held and a message (checkoutUrl null),
 * `booking.pay` must answer quickly while Stripe still hangs, and once Stripe answers again `booking.pay`
 * gives each booking exactly one Checkout session (the one Stripe made for the lost answer, found again by
 * its idempotency key), and paying it confirms the booking with one email.
 */
const SCENARIO = "stripe-hang";
const BOUND_MS = 3_000;
const N = 6;

describe("Stripe hanging during booking.create", () => {
  const stackOf = scenarioStack(SCENARIO);

  it("answers booking.create within the bound, and booking.pay works once Stripe answers", async () => {
    const stack = stackOf();
    const client = api(stack);
    const u = new URL(stack.urls.stripe);
    const stripe = new Stripe(STRIPE_KEY, { host: u.hostname, port: Number(u.port), protocol: "http" });
    const sailings = await bookableSailings(stack.sql);
    // The bound is for a running app, not for the first request after a cold start (JIT, pools).
    const warm = await client.call("booking.create", bookingInput(sailings[0] as number, 99, "warm"));
    expect(warm.status, detailOf(warm)).toBe(200);
    await stripeControl(stack.urls.stripe, "hang", { method: "POST", path: "/v1/checkout/sessions" });
    const made: {
      reference: string;
      email: string;
      ms: number;
      paymentError?: string;
      checkoutUrl: string | null;
    }[] = [];
    // Three travellers at a time, as a busy minute would bring them.
    await Promise.all(
      [0, 1, 2].map(async (lane) => {
        for (let i = lane; i < N; i += 3) {
          const t0 = Date.now();
          const r = await client.call<{
            reference: string;
            checkoutUrl: string | null;
            paymentError?: string;
          }>("booking.create", bookingInput(sailings[i % sailings.length] as number, i, "hang"));
          expect(r.status, detailOf(r)).toBe(200);
          made.push({ ...r.data!, email: `hang-${i}@example.com`, ms: Date.now() - t0 });
        }
      }),
    );
    const times = made.map((m) => m.ms).sort((a, b) => a - b);
    record(SCENARIO, "booking.create while Stripe hangs", { bookings: N, ms: times });
    expect(Math.max(...times)).toBeLessThanOrEqual(BOUND_MS);
    expect(made.map((m) => m.checkoutUrl)).toEqual(Array(N).fill(null));
    for (const m of made) expect(m.paymentError).toMatch(/payment provider.*places are held/);
    const refs = made.map((m) => m.reference);
    expect(await statuses(stack.sql, refs)).toEqual({ PENDING_PAYMENT: N });

    // Stripe still hangs: booking.pay answers quickly with the same message, nothing paid twice later.
    const first = made[0]!;
    const t1 = Date.now();
    const stillDown = await client.call("booking.pay", {
      reference: first.reference,
      email: first.email,
    });
    record(SCENARIO, "booking.pay while Stripe hangs", { status: stillDown.status, ms: Date.now() - t1 });
    expect(stillDown.status).toBe(503);
    expect(stillDown.message).toMatch(/payment provider/);
    expect(Date.now() - t1).toBeLessThanOrEqual(BOUND_MS);

    // Stripe answers again; the held requests run. Every booking gets exactly one session.
    await stripeControl(stack.urls.stripe, "hang", { seconds: 0 });
    const back = timer();
    const sessionsOf = async (reference: string) =>
      (await stripe.checkout.sessions.list({ limit: 100 })).data.filter(
        (s) => s.metadata?.reference === reference,
      );
    for (const m of made) {
      const r = await client.call<{ checkoutUrl: string }>("booking.pay", {
        reference: m.reference,
        email: m.email,
      });
      expect(r.status, `booking.pay ${m.reference}: ${detailOf(r)}`).toBe(200);
      const sessionId = sessionIdOf(r.data?.checkoutUrl ?? null);
      const sessions = await sessionsOf(m.reference);
      expect(sessions.map((s) => s.id)).toEqual([sessionId]);
      await payOnStripe(stack.urls.stripe, sessionId!);
    }
    const done = await pollUntil(
      () => statuses(stack.sql, refs),
      (s) => s.CONFIRMED === N,
      { what: `all ${N} bookings CONFIRMED`, timeoutMs: 30_000, intervalMs: 300 },
    );
    record(SCENARIO, "paid after Stripe answered again", { statuses: done.value, ms: back() });
    expect(done.value).toEqual({ CONFIRMED: N });
    await expectOneConfirmationEmailEach(stack, refs, "a confirmation email for every booking");
    await expectInvariantsHold(stack.sql);
  });
});
