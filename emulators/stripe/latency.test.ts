import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type StripeEmulator, startStripeEmulator } from "./server";
import type { LatencyState } from "../shared/latency";
import { callControl, until } from "../shared/latency-test-support";

/**
 * Slow and hung Stripe (`/_emulator/delay`, `/_emulator/hang`, `/_emulator/latency`), through the official
 * SDK with the per-request options the app uses for Checkout (short timeout, no retry).
 */
let emulator: StripeEmulator;
let stripe: Stripe;

const CREATE = { method: "POST", path: "/v1/checkout/sessions" };
const params = (): Stripe.Checkout.SessionCreateParams => ({
  mode: "payment",
  line_items: [
    {
      price_data: { currency: "eur", unit_amount: 4500, product_data: { name: "Deck TUN→MRS" } },
      quantity: 1,
    },
  ],
  success_url: "http://localhost:3000/ok",
  cancel_url: "http://localhost:3000/cancel",
  expires_at: Math.floor(Date.now() / 1000) + 35 * 60,
});

type Reply = Partial<LatencyState> & { error?: { type: string; message: string }; count?: number };

const control = (path: string, body?: unknown) => callControl<Reply>(emulator.url, path, body);

beforeAll(async () => {
  emulator = await startStripeEmulator({ webhookSecret: "whsec_latency_test" });
  stripe = new Stripe("sk_test_latency", {
    host: "127.0.0.1",
    port: emulator.port,
    protocol: "http",
    maxNetworkRetries: 0,
  });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  expect((await control("reset", {})).status).toBe(200);
});

describe("stripe emulator: hang", () => {
  it("holds session creation only; a retry with the same key is refused while the first is in progress; after the hang the first has run and a retry replays it", async () => {
    const body = params();
    expect((await control("hang", CREATE)).body.hang).toEqual({ ...CREATE, until: null });

    const first = stripe.checkout.sessions.create(body, { idempotencyKey: "checkout:1", timeout: 300 });
    await expect(first).rejects.toMatchObject({ type: "StripeConnectionError" });
    // Other endpoints answer as usual.
    expect((await stripe.checkout.sessions.list({ limit: 10 })).data).toEqual([]);
    await until(
      () => control("latency"),
      (r) => r.body.held === 1,
    );

    await expect(
      stripe.checkout.sessions.create(body, { idempotencyKey: "checkout:1", timeout: 300 }),
    ).rejects.toMatchObject({ statusCode: 409, rawType: "idempotency_error" });

    await control("hang", { seconds: 0 });
    const listed = await until(
      () => stripe.checkout.sessions.list({ limit: 10 }),
      (l) => l.data.length > 0,
    );
    expect(listed.data).toHaveLength(1);
    const retried = await stripe.checkout.sessions.create(body, { idempotencyKey: "checkout:1" });
    expect(retried.id).toBe(listed.data[0]?.id);
    expect(retried.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await stripe.checkout.sessions.list({ limit: 10 })).data).toHaveLength(1);
  });

  it("the in-process helper does the same, and reset lifts it", async () => {
    emulator.hang(true, CREATE);
    const pending = stripe.checkout.sessions.create(params());
    await until(
      async () => emulator.latencyState().held,
      (n) => n === 1,
    );
    emulator.reset();
    expect((await pending).status).toBe("open");
    expect(emulator.latencyState()).toEqual({ delay: null, hang: null, held: 0 });
  });
});

describe("stripe emulator: delay", () => {
  it("delays matching requests by the given time, and only those", async () => {
    const session = await stripe.checkout.sessions.create(params());
    await control("delay", { ms: 400, method: "GET", path: "/v1/checkout/sessions/*" });
    let t0 = performance.now();
    expect((await stripe.checkout.sessions.retrieve(session.id)).id).toBe(session.id);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    t0 = performance.now();
    await stripe.checkout.sessions.create(params());
    expect(performance.now() - t0).toBeLessThan(390);

    await control("delay", { ms: 0 });
    t0 = performance.now();
    await stripe.checkout.sessions.retrieve(session.id);
    expect(performance.now() - t0).toBeLessThan(390);
  });

  it("makes the SDK's own timeout fire", async () => {
    emulator.delay(800);
    await expect(stripe.checkout.sessions.create(params(), { timeout: 200 })).rejects.toMatchObject({
      type: "StripeConnectionError",
    });
  });
});

describe("stripe emulator: latency control input", () => {
  it.each([
    ["delay", { ms: "slow" }, /`ms` must be an integer between 0 and 600000/],
    ["delay", { ms: 10, path: "v1/refunds" }, /`path` must start with \//],
    ["hang", { seconds: -2 }, /`seconds` must be a number between 0 and 86400/],
    ["hang", { method: 7 }, /`method` must be an HTTP method/],
  ])("refuses %s %j in Stripe's error envelope and changes nothing", async (route, body, message) => {
    const r = await control(route, body);
    expect(r.status).toBe(400);
    expect(r.body.error?.type).toBe("invalid_request_error");
    expect(r.body.error?.message).toMatch(message);
    expect((await control("latency")).body).toEqual({ delay: null, hang: null, held: 0 });
  });
});
