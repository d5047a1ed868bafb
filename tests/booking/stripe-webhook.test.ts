import { eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { SpanKind } from "@opentelemetry/api";
import { payments, stripeEvents } from "@/server/db/schema/payments";
import { expireCheckoutSession } from "@/server/features/payments/expire-session";
import { receiveStripeWebhook } from "@/server/features/payments/webhook";
import { registerTracing } from "@/server/lib/tracing-sdk";
import { bookingStackForFile, holdBooking, nextSailing, WEBHOOK_SECRET } from "../helpers/booking-stack";

/**
 * `receiveStripeWebhook` and `expireCheckoutSession` on their own, with no worker running, so what they
 * store and queue stays visible: the error each refusal gives, the event row, the job and its options,
 * the trace a Checkout event continues, and each Stripe call the expiry makes or does not make.
 */
const exporter = new InMemorySpanExporter();
const tracing = registerTracing({ serviceName: "traverse-webhook-test", exporter });
const s = bookingStackForFile({ days: 10 });
afterAll(() => tracing.shutdown());
afterEach(() => {
  vi.restoreAllMocks();
  s.emulator.failNext(0);
});

let n = 0;
const signed = (event: object, timestamp?: number) => {
  const rawBody = JSON.stringify(event);
  const signature = s.stripe.webhooks.generateTestHeaderString({
    payload: rawBody,
    secret: WEBHOOK_SECRET,
    ...(timestamp ? { timestamp } : {}),
  });
  return { rawBody, signature, secret: WEBHOOK_SECRET };
};
const anEvent = (type = "checkout.session.completed", object: object = { id: `cs_test_none_${++n}` }) => ({
  id: `evt_webhook_${++n}`,
  object: "event",
  type,
  data: { object },
});
const storedEvents = (id: string) => s.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, id));
const jobsFor = (eventId: string) =>
  s.t.sql<
    { task_identifier: string; payload: Record<string, unknown>; max_attempts: number; priority: number }[]
  >`
    select j.task_identifier, p.payload, j.max_attempts, j.priority
    from graphile_worker.jobs j join graphile_worker._private_jobs p using (id)
    where j.key = ${`stripe:${eventId}`}`;

describe("receiveStripeWebhook refuses, with a message, and stores nothing", () => {
  it("a missing signature header", async () => {
    const d = signed(anEvent());
    await expect(receiveStripeWebhook(s.svc, { ...d, signature: null })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Missing Stripe-Signature header.",
    });
  });

  it("a signature that does not match the body, or is older than 5 minutes", async () => {
    const event = anEvent();
    const d = signed(event);
    await expect(receiveStripeWebhook(s.svc, { ...d, rawBody: `${d.rawBody} ` })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Webhook signature verification failed.",
    });
    const now = Math.floor(Date.now() / 1000);
    await expect(receiveStripeWebhook(s.svc, signed(event, now - 310))).rejects.toMatchObject({
      message: "Webhook signature verification failed.",
    });
    expect(await storedEvents(event.id)).toHaveLength(0);
    // Inside the window it is accepted.
    expect(await receiveStripeWebhook(s.svc, signed(event, now - 240))).toEqual({
      duplicate: false,
      eventId: event.id,
    });
  });

  it("a validly signed body that is not an event", async () => {
    for (const body of [
      { id: "evt_not_really" },
      { id: "evt_no_data", type: "x" },
      { type: "x", data: {} },
    ]) {
      await expect(receiveStripeWebhook(s.svc, signed(body))).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: "The webhook body is not a Stripe event.",
      });
    }
    expect(await storedEvents("evt_not_really")).toHaveLength(0);
    expect(await storedEvents("evt_no_data")).toHaveLength(0);
  });
});

describe("receiveStripeWebhook records an event once and queues its processing", () => {
  it("stores type and payload, queues one high-priority job with 25 attempts, and drops a redelivery", async () => {
    const event = anEvent("payment_intent.succeeded", { id: "pi_test_x" });
    expect(await receiveStripeWebhook(s.svc, signed(event))).toEqual({ duplicate: false, eventId: event.id });
    const [row] = await storedEvents(event.id);
    expect(row!.type).toBe("payment_intent.succeeded");
    expect(row!.payload).toEqual(event);
    const [job, ...more] = await jobsFor(event.id);
    expect(more).toHaveLength(0);
    expect(job!.task_identifier).toBe("process_stripe_event");
    expect(job!.payload.eventId).toBe(event.id);
    expect(job!.max_attempts).toBe(25);
    expect(job!.priority).toBe(-10);

    expect(await receiveStripeWebhook(s.svc, signed(event))).toEqual({ duplicate: true, eventId: event.id });
    expect(await jobsFor(event.id)).toHaveLength(1);
    expect(await storedEvents(event.id)).toHaveLength(1);
  });
});

describe("a Checkout event continues the trace of the request that created its payment", () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const parentSpan = "00f067aa0ba902b7";
  async function paymentWithTrace(i: number) {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
    const { payment } = await holdBooking(s, sailing.id, 500 + i, `trace${i}@example.com`);
    await s.t.db
      .update(payments)
      .set({ traceParent: `00-${traceId}-${parentSpan}-01` })
      .where(eq(payments.id, payment.id));
    return payment.checkoutSessionId!;
  }
  const webhookSpan = (eventType: string) =>
    exporter
      .getFinishedSpans()
      .filter((x) => x.name === "stripe.webhook" && x.attributes["stripe.event_type"] === eventType)
      .at(-1);

  it("a checkout.session event: the webhook span is the payment's span's child and the job carries the trace", async () => {
    const sessionId = await paymentWithTrace(1);
    const event = anEvent("checkout.session.expired", { id: sessionId });
    await receiveStripeWebhook(s.svc, signed(event));
    const span = webhookSpan("checkout.session.expired")!;
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe(parentSpan);
    const [job] = await jobsFor(event.id);
    expect(String(job!.payload.traceparent)).toContain(traceId);
  });

  it("any other event, a session without an id, or an unknown session starts a trace of its own", async () => {
    const sessionId = await paymentWithTrace(2);
    const cases = [
      anEvent("payment_intent.canceled", { id: sessionId }),
      anEvent("checkout.session.async_payment_failed", {}),
      anEvent("checkout.session.async_payment_succeeded", { id: "cs_test_unknown" }),
    ];
    for (const event of cases) {
      await receiveStripeWebhook(s.svc, signed(event));
      const span = webhookSpan(event.type)!;
      expect(span, event.type).toBeDefined();
      expect(span.spanContext().traceId, event.type).not.toBe(traceId);
      expect(span.parentSpanContext, event.type).toBeUndefined();
    }
  });
});

describe("expireCheckoutSession", () => {
  async function pending(i: number) {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
    const { payment } = await holdBooking(s, sailing.id, 600 + i, `expire${i}@example.com`);
    return payment;
  }

  it("expires an open session once, under the payment's idempotency key", async () => {
    const p = await pending(1);
    const expire = vi.spyOn(s.stripe.checkout.sessions, "expire");
    await expireCheckoutSession(s.svc, p.id);
    expect(expire).toHaveBeenCalledTimes(1);
    expect(expire).toHaveBeenCalledWith(p.checkoutSessionId, {}, { idempotencyKey: `expire:${p.id}` });
    expect((await s.stripe.checkout.sessions.retrieve(p.checkoutSessionId!)).status).toBe("expired");
  });

  it("asks Stripe nothing more for a session already paid or expired, and nothing for an unknown payment", async () => {
    const paid = await pending(2);
    s.emulator.pay(paid.checkoutSessionId!);
    const expired = await pending(3);
    s.emulator.expireSession(expired.checkoutSessionId!);
    const expire = vi.spyOn(s.stripe.checkout.sessions, "expire");
    const retrieve = vi.spyOn(s.stripe.checkout.sessions, "retrieve");
    await expireCheckoutSession(s.svc, paid.id);
    await expireCheckoutSession(s.svc, expired.id);
    expect(expire).not.toHaveBeenCalled();
    await expireCheckoutSession(s.svc, "00000000-0000-4000-8000-000000000000");
    expect(retrieve).toHaveBeenCalledTimes(2);
  });

  it("a session that closed between the look and the expiry is success; any other Stripe error is not", async () => {
    const raced = await pending(4);
    const real = s.stripe.checkout.sessions.expire.bind(s.stripe.checkout.sessions);
    vi.spyOn(s.stripe.checkout.sessions, "expire").mockImplementationOnce(((id: string, ...rest: never[]) => {
      s.emulator.pay(id);
      return real(id, ...rest);
    }) as never);
    await expect(expireCheckoutSession(s.svc, raced.id)).resolves.toBeUndefined();
    expect((await s.stripe.checkout.sessions.retrieve(raced.checkoutSessionId!)).status).toBe("complete");

    const failing = await pending(5);
    vi.spyOn(s.stripe.checkout.sessions, "expire").mockImplementationOnce(((id: string, ...rest: never[]) => {
      s.emulator.failNext(1, 500);
      return real(id, ...rest);
    }) as never);
    await expect(expireCheckoutSession(s.svc, failing.id)).rejects.toMatchObject({ type: "StripeAPIError" });
    expect((await s.stripe.checkout.sessions.retrieve(failing.checkoutSessionId!)).status).toBe("open");
  });
});
