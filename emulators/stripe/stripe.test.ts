// Drives the emulator only through the official SDK (plus plain HTTP for the hosted page and
// the control API), so a passing run means app code written against the SDK will work too.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type StripeEmulator, startStripeEmulator } from "./server";

const SECRET = "whsec_test_emulator_secret";
const API_KEY = "sk_test_emulator";

interface Received {
  body: string;
  signature: string;
  event: Stripe.Event;
}

/** A tiny webhook endpoint: records deliveries and answers whatever `respond` says. */
class Receiver {
  readonly received: Received[] = [];
  respond: (event: Stripe.Event) => number = () => 200;
  private server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const event = JSON.parse(body) as Stripe.Event;
        this.received.push({ body, signature: String(req.headers["stripe-signature"]), event });
        res.statusCode = this.respond(event);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  types(): string[] {
    return this.received.map((r) => r.event.type);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

let emulator: StripeEmulator;
let receiver: Receiver;

/** The events of a paid session's first refund, in delivery order. */
const PAID_AND_REFUNDED = ["checkout.session.completed", "charge.refunded", "refund.created"];

/** Waits for every queued webhook, then expects exactly these event types delivered, in order. */
async function expectDelivered(...types: string[]) {
  await emulator.waitForWebhooks();
  expect(receiver.types()).toEqual(types);
}
let stripe: Stripe;

const now = () => Math.floor(Date.now() / 1000);

function sessionParams(
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [
      {
        price_data: { currency: "eur", unit_amount: 4500, product_data: { name: "Reclining seat TUN→MRS" } },
        quantity: 2,
      },
      {
        price_data: { currency: "eur", unit_amount: 1200, product_data: { name: "Pet kennel" } },
        quantity: 1,
      },
    ],
    client_reference_id: "TRV-4K7QM9ZD",
    customer_email: "traveller@example.com",
    metadata: { booking: "TRV-4K7QM9ZD" },
    payment_intent_data: { metadata: { booking: "TRV-4K7QM9ZD" } },
    success_url: "http://localhost:3000/booking/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost:3000/booking/cancel",
    expires_at: now() + 35 * 60,
    ...overrides,
  };
}

function control(path: string, body?: unknown): Promise<Response> {
  return fetch(`${emulator.url}/_emulator${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function submitCard(session: Stripe.Checkout.Session, card: string, expiry = "12 / 34"): Promise<Response> {
  return fetch(`${emulator.url}/pay/${session.id}`, {
    method: "POST",
    body: new URLSearchParams({ email: "traveller@example.com", number: card, expiry, cvc: "123" }),
    redirect: "manual",
  });
}

async function paidSession(): Promise<{ session: Stripe.Checkout.Session; intent: Stripe.PaymentIntent }> {
  const session = await stripe.checkout.sessions.create(sessionParams());
  const result = emulator.pay(session.id);
  if (!result.ok) throw new Error(result.error.message);
  const intent = await stripe.paymentIntents.retrieve(result.payment.paymentIntent.id);
  return { session, intent };
}

beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
  emulator = await startStripeEmulator({
    webhookUrl: receiver.url,
    webhookSecret: SECRET,
    retry: { initialMs: 40, maxMs: 160, maxAttempts: 8 },
    refundFailDelayMs: 30,
  });
  stripe = new Stripe(API_KEY, { host: "127.0.0.1", port: emulator.port, protocol: "http" });
});

afterAll(async () => {
  await emulator?.close();
  await receiver?.stop();
});

beforeEach(async () => {
  // Let the previous test's deliveries land before wiping what the receiver saw.
  await emulator.waitForWebhooks();
  emulator.reset();
  receiver.received.length = 0;
  receiver.respond = () => 200;
});

describe("checkout sessions", () => {
  it("creates, retrieves (with expand) and lists sessions in Stripe's shapes", async () => {
    const expiresAt = now() + 40 * 60;
    const created = await stripe.checkout.sessions.create(sessionParams({ expires_at: expiresAt }));
    expect(created.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(created).toMatchObject({
      object: "checkout.session",
      amount_subtotal: 10200,
      amount_total: 10200,
      currency: "eur",
      client_reference_id: "TRV-4K7QM9ZD",
      customer_email: "traveller@example.com",
      expires_at: expiresAt,
      livemode: false,
      metadata: { booking: "TRV-4K7QM9ZD" },
      mode: "payment",
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      success_url: "http://localhost:3000/booking/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://localhost:3000/booking/cancel",
      url: `http://localhost:${emulator.port}/pay/${created.id}`,
    });
    expect(created.line_items).toBeUndefined();
    expect(created.lastResponse.requestId).toMatch(/^req_/);

    const retrieved = await stripe.checkout.sessions.retrieve(created.id, { expand: ["line_items"] });
    expect(retrieved.id).toBe(created.id);
    expect(
      retrieved.line_items?.data.map((item) => [
        item.description,
        item.quantity,
        item.price?.unit_amount,
        item.amount_total,
      ]),
    ).toEqual([
      ["Reclining seat TUN→MRS", 2, 4500, 9000],
      ["Pet kennel", 1, 1200, 1200],
    ]);
    const items = await stripe.checkout.sessions.listLineItems(created.id);
    expect(items.data).toHaveLength(2);
    expect(items.data[0]?.object).toBe("item");

    const second = await stripe.checkout.sessions.create(sessionParams());
    const page = await stripe.checkout.sessions.list({ limit: 1 });
    expect(page.data.map((s) => s.id)).toEqual([second.id]);
    expect(page.has_more).toBe(true);
    const all = await stripe.checkout.sessions.list();
    expect(all.data.map((s) => s.id)).toEqual([second.id, created.id]);
  });

  it("enforces Stripe's expires_at window (30 minutes to 24 hours)", async () => {
    const tooSoon = await rejection(
      stripe.checkout.sessions.create(sessionParams({ expires_at: now() + 29 * 60 })),
    );
    expect(tooSoon).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooSoon.statusCode).toBe(400);
    expect(tooSoon.param).toBe("expires_at");
    expect(tooSoon.message).toBe(
      "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
    );

    const tooLate = await rejection(
      stripe.checkout.sessions.create(sessionParams({ expires_at: now() + 25 * 3600 })),
    );
    expect(tooLate).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooLate.param).toBe("expires_at");
    expect(tooLate.message).toBe(
      "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
    );
    expect((await stripe.checkout.sessions.list()).data).toEqual([]);
  });

  it("rejects unknown parameters the way Stripe does", async () => {
    const error = await rejection(
      stripe.checkout.sessions.create({
        ...sessionParams(),
        bogus: "x",
      } as Stripe.Checkout.SessionCreateParams),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.message).toBe("Received unknown parameter: bogus");
    expect(error.param).toBe("bogus");
  });

  it("replays an idempotent request and refuses a key reused with other parameters", async () => {
    const first = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "booking:42" });
    const again = await stripe.checkout.sessions.create(sessionParams({ expires_at: first.expires_at }), {
      idempotencyKey: "booking:42",
    });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(1);

    const mismatch = await rejection(
      stripe.checkout.sessions.create(
        sessionParams({ expires_at: first.expires_at, client_reference_id: "TRV-OTHER" }),
        {
          idempotencyKey: "booking:42",
        },
      ),
    );
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.message).toBe(
      "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'booking:42' if you meant to execute a different request.",
    );
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(1);
  });

  it("answers resource_missing for unknown ids and 404 for unknown paths", async () => {
    const missing = await rejection(stripe.checkout.sessions.retrieve("cs_test_missing"));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("resource_missing");
    expect(missing.message).toBe("No such checkout.session: 'cs_test_missing'");
    const intent = await rejection(stripe.paymentIntents.retrieve("pi_missing"));
    expect(intent.code).toBe("resource_missing");
    expect(intent.message).toBe("No such payment_intent: 'pi_missing'");
    const refund = await rejection(stripe.refunds.retrieve("re_missing"));
    expect(refund.message).toBe("No such refund: 're_missing'");

    const response = await fetch(`${emulator.url}/v1/nope`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toBe(
      "Unrecognized request URL (GET: /v1/nope). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
    );
  });

  it("requires a test-mode secret key", async () => {
    const response = await fetch(`${emulator.url}/v1/checkout/sessions`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^You did not provide an API key\./);
    const live = new Stripe("sk_live_abcdefgh1234", {
      host: "127.0.0.1",
      port: emulator.port,
      protocol: "http",
    });
    const error = await rejection(live.checkout.sessions.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.message).toBe("Invalid API Key provided: sk_live_********1234");
  });
});

describe("hosted payment page", () => {
  it("shows the order and a form with labelled Email, Card number, Expiry and CVC fields", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await fetch(`${emulator.url}/pay/${session.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const [id, label] of [
      ["email", "Email"],
      ["number", "Card number"],
      ["expiry", "Expiry"],
      ["cvc", "CVC"],
    ]) {
      expect(html).toContain(`<label for="${id}">${label}</label>`);
      expect(html).toContain(`<input id="${id}" name="${id}"`);
    }
    expect(html).toContain('<button type="submit">Pay</button>');
    expect(html).toContain("Reclining seat TUN→MRS × 2");
    expect(html).toContain("€102.00");
    expect(html).toContain('<a href="http://localhost:3000/booking/cancel">Back</a>');
    expect(html).toContain('value="traveller@example.com"');
  });

  it("pays with 4242…, redirects to success_url and sends a verifiable checkout.session.completed", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await submitCard(session, "4242 4242 4242 4242");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(
      `http://localhost:3000/booking/success?session_id=${session.id}`,
    );

    const paid = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(paid.status).toBe("complete");
    expect(paid.payment_status).toBe("paid");
    expect(paid.url).toBeNull();
    const intent = paid.payment_intent as Stripe.PaymentIntent;
    expect(intent.id).toMatch(/^pi_/);
    expect(intent).toMatchObject({
      amount: 10200,
      amount_received: 10200,
      currency: "eur",
      status: "succeeded",
    });
    expect(intent.metadata).toEqual({ booking: "TRV-4K7QM9ZD" });
    expect(intent.latest_charge).toMatch(/^ch_/);
    const listed = await stripe.checkout.sessions.list({ payment_intent: intent.id });
    expect(listed.data.map((s) => s.id)).toEqual([session.id]);
    const byEmail = await stripe.checkout.sessions.list({
      customer_details: { email: "traveller@example.com" },
    });
    expect(byEmail.data.map((s) => s.id)).toEqual([session.id]);
    const deep = await stripe.checkout.sessions.retrieve(session.id, {
      expand: ["payment_intent.latest_charge"],
    });
    const charge = (deep.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: "charge",
      amount: 10200,
      amount_refunded: 0,
      refunded: false,
      paid: true,
    });
    expect(charge.payment_method_details?.card?.last4).toBe("4242");

    await expectDelivered("checkout.session.completed");
    const delivery = receiver.received[0] as Received;
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET);
    expect(event.type).toBe("checkout.session.completed");
    expect(event.id).toMatch(/^evt_/);
    expect(event).toMatchObject({
      object: "event",
      livemode: false,
      pending_webhooks: 1,
      api_version: Stripe.API_VERSION,
    });
    const object = event.data.object as Stripe.Checkout.Session;
    expect(object).toMatchObject({
      id: session.id,
      payment_status: "paid",
      status: "complete",
      payment_intent: intent.id,
    });
    expect(() =>
      stripe.webhooks.constructEvent(delivery.body.replace("paid", "unpaid"), delivery.signature, SECRET),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_wrong")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );

    // A second visit explains the session is done instead of offering the form again.
    const again = await (await fetch(`${emulator.url}/pay/${session.id}`)).text();
    expect(again).toContain("This payment has already been completed.");
    expect(again).not.toContain("<form");
  });

  it("shows Stripe's decline messages and leaves the session open", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const cases: [string, string, number, string][] = [
      ["4000 0000 0000 0002", "12 / 34", 402, "Your card was declined."],
      ["4000 0000 0000 9995", "12 / 34", 402, "Your card has insufficient funds."],
      ["4242 4242 4242 4241", "12 / 34", 400, "Your card number is invalid."],
      ["4242 4242", "12 / 34", 400, "Your card number is incomplete."],
      ["4242 4242 4242 4242", "01 / 20", 400, "Your card&#39;s expiration year is in the past."],
    ];
    for (const [card, expiry, status, message] of cases) {
      const response = await submitCard(session, card, expiry);
      expect(response.status).toBe(status);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).toContain("<form");
    }
    const still = await stripe.checkout.sessions.retrieve(session.id);
    expect(still).toMatchObject({ status: "open", payment_status: "unpaid", payment_intent: null });
    await emulator.waitForWebhooks();
    expect(emulator.events()).toEqual([]);
    expect(receiver.received).toEqual([]);
  });

  it("control API pay has the same effects and reports declines as card errors", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const declined = await control(`/checkout/sessions/${session.id}/pay`, { card: "4000000000000002" });
    expect(declined.status).toBe(402);
    expect(await declined.json()).toMatchObject({
      error: {
        type: "card_error",
        code: "card_declined",
        decline_code: "generic_decline",
        message: "Your card was declined.",
      },
    });
    const ok = await control(`/checkout/sessions/${session.id}/pay`, {});
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { redirect_url: string; session: { status: string } };
    expect(body.redirect_url).toBe(`http://localhost:3000/booking/success?session_id=${session.id}`);
    expect(body.session.status).toBe("complete");
    await expectDelivered("checkout.session.completed");
  });
});

describe("expiry", () => {
  it("expires through the API once, with checkout.session.expired", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ id: session.id, status: "expired", url: null, payment_status: "unpaid" });
    const again = await rejection(stripe.checkout.sessions.expire(session.id));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again.message).toBe(
      "Only Checkout Sessions with a status in ['open'] can be expired. This Checkout Session has a status of expired.",
    );
    await expectDelivered("checkout.session.expired");
    const event = stripe.webhooks.constructEvent(
      receiver.received[0]?.body ?? "",
      receiver.received[0]?.signature ?? "",
      SECRET,
    );
    expect(event.request?.id).toBe(expired.lastResponse.requestId);
    expect((event.data.object as Stripe.Checkout.Session).status).toBe("expired");

    const page = await (await fetch(`${emulator.url}/pay/${session.id}`)).text();
    expect(page).toContain("This checkout session has expired");
    expect(page).not.toContain("<form");
    const paying = await submitCard(expired, "4242424242424242");
    expect(paying.status).toBe(200);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
      status: "expired",
      payment_intent: null,
    });
  });

  it("expires sessions by itself once expires_at has passed", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams({ expires_at: now() + 31 * 60 }));
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 32 * 60 * 1000);
      // The real 1-second ticker sees the moved clock.
      await waitFor(() => receiver.types().includes("checkout.session.expired"), 3_000);
    } finally {
      vi.useRealTimers();
    }
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
    const event = receiver.received[0]?.event as Stripe.Event;
    expect(event.request).toEqual({ id: null, idempotency_key: null });
  });

  it("control API expires a session now", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await control(`/checkout/sessions/${session.id}/expire`, {});
    expect(response.status).toBe(200);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
    await expectDelivered("checkout.session.expired");
  });
});

describe("refunds", () => {
  it("refunds partially, then the rest, then refuses more", async () => {
    const { intent } = await paidSession();
    const partial = await stripe.refunds.create(
      {
        payment_intent: intent.id,
        amount: 3000,
        reason: "requested_by_customer",
        metadata: { refund: "r1" },
      },
      { idempotencyKey: "refund:r1" },
    );
    expect(partial.id).toMatch(/^re_/);
    expect(partial).toMatchObject({
      object: "refund",
      amount: 3000,
      charge: intent.latest_charge,
      payment_intent: intent.id,
      currency: "eur",
      status: "succeeded",
      reason: "requested_by_customer",
      metadata: { refund: "r1" },
    });
    const rest = await stripe.refunds.create({ charge: intent.latest_charge as string });
    expect(rest.amount).toBe(7200);
    const over = await rejection(stripe.refunds.create({ payment_intent: intent.id, amount: 1 }));
    expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(over.code).toBe("charge_already_refunded");
    expect(over.message).toBe(`Charge ${intent.latest_charge} has already been refunded.`);

    expect((await stripe.refunds.retrieve(partial.id)).amount).toBe(3000);
    const listed = await stripe.refunds.list({ payment_intent: intent.id });
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, partial.id]);

    await expectDelivered(...PAID_AND_REFUNDED, "charge.refunded", "refund.created");
    const charges = receiver.received
      .filter((r) => r.event.type === "charge.refunded")
      .map((r) => r.event.data.object as Stripe.Charge);
    expect(charges.map((c) => [c.amount_refunded, c.refunded])).toEqual([
      [3000, false],
      [10200, true],
    ]);
  });

  it("refuses a refund larger than what is left, naming both amounts", async () => {
    const { intent } = await paidSession();
    const error = await rejection(stripe.refunds.create({ payment_intent: intent.id, amount: 20000 }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.param).toBe("amount");
    expect(error.message).toBe(
      "Refund amount (€200.00) is greater than unrefunded amount on charge (€102.00)",
    );
    expect((await stripe.refunds.list()).data).toEqual([]);
  });

  it("fail-next makes a refund go pending → failed with refund.updated and refund.failed", async () => {
    const { intent } = await paidSession();
    expect((await control("/refunds/fail-next", { count: 1 })).status).toBe(200);
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    expect(refund.status).toBe("pending");
    await waitFor(() => receiver.types().includes("refund.failed"));
    await expectDelivered(...PAID_AND_REFUNDED, "refund.updated", "refund.failed");
    const failed = await stripe.refunds.retrieve(refund.id);
    expect(failed).toMatchObject({ status: "failed", failure_reason: "expired_or_canceled_card" });
    const updated = receiver.received.find((r) => r.event.type === "refund.updated")?.event as Stripe.Event;
    expect(updated.data.previous_attributes).toEqual({ status: "pending" });
    // The money was never returned, so it can be refunded again — and that one succeeds.
    const retry = await stripe.refunds.create({ payment_intent: intent.id });
    expect(retry).toMatchObject({ status: "succeeded", amount: 10200 });
  });
});

describe("webhook delivery control", () => {
  it("re-delivers an event as duplicates, each freshly signed", async () => {
    await paidSession();
    await emulator.waitForWebhooks();
    const [first] = receiver.received;
    const id = first?.event.id as string;
    const response = await control(`/events/${id}/deliver`, { times: 3 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { attempts: { status: number }[] };
    expect(body.attempts.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(receiver.received.map((r) => r.event.id)).toEqual([id, id, id, id]);
    for (const delivery of receiver.received) {
      expect(stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET).id).toBe(id);
    }
    const log = (await (await control("/events")).json()) as {
      data: { event: { id: string }; delivery: { status: string; attempts: unknown[] } }[];
    };
    expect(log.data).toHaveLength(1);
    expect(log.data[0]?.delivery.status).toBe("delivered");
    expect(log.data[0]?.delivery.attempts).toHaveLength(4);
  });

  it("delivers queued events in a chosen order while paused, and resume flushes the rest in order", async () => {
    expect((await control("/webhooks/pause", {})).status).toBe(200);
    const a = await stripe.checkout.sessions.create(sessionParams());
    const b = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(a.id);
    emulator.pay(b.id);
    await stripe.checkout.sessions.expire((await stripe.checkout.sessions.create(sessionParams())).id);
    await emulator.waitForWebhooks();
    expect(receiver.received).toEqual([]);
    const [expiredA, completedB, expiredC] = emulator.events().map((view) => view.event.id);
    expect(emulator.events().map((view) => view.delivery.status)).toEqual(["queued", "queued", "queued"]);

    const ordered = await control("/deliver", { ids: [completedB, expiredA] });
    expect(ordered.status).toBe(200);
    expect(receiver.received.map((r) => r.event.id)).toEqual([completedB, expiredA]);

    const resumed = (await (await control("/webhooks/resume", {})).json()) as { flushed: number };
    expect(resumed.flushed).toBe(1);
    expect(receiver.received.map((r) => r.event.id)).toEqual([completedB, expiredA, expiredC]);
    expect(emulator.events().every((view) => view.delivery.status === "delivered")).toBe(true);
  });

  it("retries with exponential backoff until the endpoint answers 2xx", async () => {
    let calls = 0;
    receiver.respond = () => (++calls <= 3 ? 500 : 200);
    await paidSession();
    const id = emulator.events()[0]?.event.id as string;
    const view = await waitFor(() => {
      const current = emulator.event(id);
      return current?.delivery.status === "delivered" ? current : undefined;
    });
    expect(view.delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    const times = view.delivery.attempts.map((a) => Date.parse(a.at));
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // initialMs 40 doubling: ≥40, ≥80, ≥160 (timers never fire early; allow clock rounding).
    expect(gaps[0]).toBeGreaterThanOrEqual(38);
    expect(gaps[1]).toBeGreaterThanOrEqual(78);
    expect(gaps[2]).toBeGreaterThanOrEqual(158);
    expect(receiver.received).toHaveLength(4);
    for (const delivery of receiver.received) {
      expect(stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET).id).toBe(id);
    }
  });

  it("keeps delivering other events while one keeps failing, and gives up after maxAttempts", async () => {
    receiver.respond = (event) => (event.type === "checkout.session.expired" ? 503 : 200);
    const doomed = await stripe.checkout.sessions.create(sessionParams());
    await stripe.checkout.sessions.expire(doomed.id);
    await paidSession();
    await waitFor(() => receiver.types().includes("checkout.session.completed"), 1_000);
    const expiredId = emulator.events()[0]?.event.id as string;
    const final = await waitFor(() => {
      const view = emulator.event(expiredId);
      return view?.delivery.status === "failed" ? view : undefined;
    });
    expect(final.delivery.attempts).toHaveLength(8);
    expect(final.delivery.last_status).toBe(503);
    const event = await stripe.events.retrieve(expiredId);
    expect(event.pending_webhooks).toBe(1);
  });
});

describe("outages and events API", () => {
  it("fail-next answers api_error 500 and the SDK throws StripeAPIError", async () => {
    const noRetries = new Stripe(API_KEY, {
      host: "127.0.0.1",
      port: emulator.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    expect((await control("/fail-next", { count: 1 })).status).toBe(200);
    const error = await rejection(noRetries.checkout.sessions.create(sessionParams()));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
    expect(error.type).toBe("StripeAPIError");
    expect((await noRetries.checkout.sessions.list()).data).toEqual([]);
    const recovered = await noRetries.checkout.sessions.create(sessionParams());
    expect(recovered.status).toBe("open");
  });

  it("lists and retrieves events through /v1/events", async () => {
    const { session } = await paidSession();
    await emulator.waitForWebhooks();
    const events = await stripe.events.list({ type: "checkout.session.completed" });
    expect(events.data).toHaveLength(1);
    const event = await stripe.events.retrieve(events.data[0]?.id as string);
    expect((event.data.object as Stripe.Checkout.Session).id).toBe(session.id);
    expect(event.pending_webhooks).toBe(0);
    const missing = await rejection(stripe.events.retrieve("evt_missing"));
    expect(missing.code).toBe("resource_missing");
  });
});
