import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allInvariants } from "./lib/invariants";
import { pollUntil } from "./lib/proc";
import { record, timer } from "./lib/report";
import { type FaultStack, startFaultStack } from "./lib/stack";
import {
  confirmationEmailCounts,
  createBookings,
  payOnStripe,
  sessionIdOf,
  statuses,
  stripeEvents,
  trpcPost,
} from "./lib/traverse";

/**
 * Stripe unreachable. (a) The Stripe API is down while travellers book: bookings are
 * kept PENDING_PAYMENT with `checkoutUrl: null`, and `booking.pay` gives them a Checkout session once
 * Stripe is back. (b) Our webhook endpoint is down (the app process stopped) while Stripe delivers
 * payment events: Stripe's retries deliver every event once the app is back, and every booking is confirmed.
 */
const SCENARIO = "stripe-down";
const N = 10;

describe("Stripe down", () => {
  let stack: FaultStack;

  beforeAll(async () => {
    const t = timer();
    stack = await startFaultStack(SCENARIO);
    record(SCENARIO, "stack up", { ms: t() });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("keeps bookings pending while the Stripe API is down, payable later with booking.pay", async () => {
    await stack.stripe.stop();
    const t = timer();
    const bookings = await createBookings(stack, N, "sd-api", { allowNoCheckout: true, concurrency: 5 });
    record(SCENARIO, "created while Stripe down", { bookings: N, ms: t() });
    expect(bookings.map((b) => b.checkoutUrl)).toEqual(Array(N).fill(null));
    const refs = bookings.map((b) => b.reference);
    expect(await statuses(stack.sql, refs)).toEqual({ PENDING_PAYMENT: N });

    await stack.startStripe();
    const pay = timer();
    for (const b of bookings) {
      const r = await trpcPost<{ checkoutUrl: string }>(stack.appUrl, "booking.pay", {
        reference: b.reference,
        email: b.email,
      });
      expect(r.status, `booking.pay ${b.reference}: ${r.message ?? r.raw}`).toBe(200);
      const sessionId = sessionIdOf(r.data?.checkoutUrl ?? null);
      expect(sessionId).toBeTruthy();
      await payOnStripe(stack, sessionId!);
    }
    const done = await pollUntil(
      () => statuses(stack.sql, refs),
      (s) => s.CONFIRMED === N,
      { what: `all ${N} bookings confirmed`, timeoutMs: 30_000, intervalMs: 300 },
    );
    record(SCENARIO, "paid after Stripe came back", { statuses: done.value, msFromFirstPay: pay() });
    expect(done.value).toEqual({ CONFIRMED: N });
    const emails = await pollUntil(
      () => confirmationEmailCounts(stack, refs),
      (e) => e.missing.length === 0,
      { what: "a confirmation email at Resend for every booking", timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(emails.value.missing).toEqual([]);
    expect(emails.value.duplicated).toEqual([]);
  });

  it("delivers every webhook once the app's endpoint is back, and confirms every booking", async () => {
    const bookings = await createBookings(stack, N, "sd-hook");
    const refs = bookings.map((b) => b.reference);
    const sessions = new Set(bookings.map((b) => b.sessionId!));

    await stack.app.stop();
    const down = timer();
    for (const b of bookings) await payOnStripe(stack, b.sessionId!);
    const ours = async () => (await stripeEvents(stack)).filter((e) => sessions.has(e.event.data.object.id));
    const failed = (e: Awaited<ReturnType<typeof ours>>[number]) =>
      e.delivery.attempts.some((a) => a.status === null || a.status >= 300);
    // Until Stripe has tried every event at least once and failed: the app is really down for all of them.
    const { value: retrying } = await pollUntil(ours, (evs) => evs.length >= N && evs.every(failed), {
      what: `a failed delivery attempt for each of the ${N} payments while the app is down`,
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const failedAttempts = retrying.reduce(
      (n, e) => n + e.delivery.attempts.filter((a) => a.status === null || a.status >= 300).length,
      0,
    );
    record(SCENARIO, "app down while paying", {
      events: retrying.length,
      deliveryStates: countBy(retrying.map((e) => e.delivery.status)),
      failedAttempts,
    });
    expect(retrying.length).toBeGreaterThanOrEqual(N);
    expect(failedAttempts, "Stripe's deliveries should have failed while the app was down").toBeGreaterThan(
      0,
    );
    expect(await statuses(stack.sql, refs)).toEqual({ PENDING_PAYMENT: N });

    await stack.startApp();
    const appDownMs = down();
    const back = timer();
    const delivered = await pollUntil(ours, (evs) => evs.every((e) => e.delivery.status === "delivered"), {
      what: "Stripe to deliver every webhook once the app is back",
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    const confirmed = await pollUntil(
      () => statuses(stack.sql, refs),
      (s) => s.CONFIRMED === N,
      { what: `all ${N} bookings confirmed`, timeoutMs: 30_000, intervalMs: 300 },
    );
    record(SCENARIO, "app back", {
      appDownMs,
      allDeliveredAfterMs: delivered.ms,
      confirmedAfterMs: back(),
      deliveryStates: countBy(delivered.value.map((e) => e.delivery.status)),
    });
    expect(countBy(delivered.value.map((e) => e.delivery.status))).toEqual({
      delivered: delivered.value.length,
    });
    expect(confirmed.value).toEqual({ CONFIRMED: N });
    const ids = delivered.value.map((e) => e.event.id);
    const rows = await stack.sql<
      { n: number }[]
    >`select count(*)::int as n from stripe_events where id in ${stack.sql(ids)}`;
    expect(rows[0]?.n, "every delivered event recorded exactly once").toBe(ids.length);
    const emails = await pollUntil(
      () => confirmationEmailCounts(stack, refs),
      (e) => e.missing.length === 0,
      { what: "a confirmation email at Resend for every booking", timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(emails.value.missing).toEqual([]);
    expect(emails.value.duplicated).toEqual([]);
    const inv = await allInvariants(stack.sql);
    expect(inv).toEqual({
      halfWritten: [],
      inventory: [],
      confirmedWithoutOnePayment: [],
      confirmationOutbox: [],
    });
  });
});

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
