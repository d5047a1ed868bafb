import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { appUrl } from "@/env";
import { bookings } from "@/server/db/schema/bookings";
import { payments } from "@/server/db/schema/payments";
import { createBooking } from "@/server/features/booking/create";
import { ensureCheckoutSession } from "@/server/features/payments/checkout";
import { expireCheckoutSession } from "@/server/features/payments/expire-session";
import { createStripe } from "@/server/features/payments/stripe-client";
import { adult, bookingInput, bookingStackForFile, nextSailing } from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";

/**
 * `ensureCheckoutSession` path by path (reuse, renewal, a session paid or expired at Stripe, refusals)
 * with the parameters Stripe receives, and `expireCheckoutSession`, against the Stripe emulator.
 */
const s = bookingStackForFile({ days: 10 });
afterEach(() => s.emulator.failNext(0));

let n = 0;
async function held() {
  const i = ++n;
  const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
  const r = await createBooking(
    s.svc,
    bookingInput(sailing.id, { passengers: [adult(i)], contact: { email: `checkout${i}@example.com` } }),
  );
  const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
  return { r, booking: b!, sailing };
}
const paymentsOf = (bookingId: string) =>
  s.t.db.select().from(payments).where(eq(payments.bookingId, bookingId)).orderBy(payments.createdAt);
const pendingOf = async (bookingId: string) =>
  (
    await s.t.db
      .select()
      .from(payments)
      .where(and(eq(payments.bookingId, bookingId), eq(payments.status, "PENDING")))
  )[0]!;

describe("ensureCheckoutSession", () => {
  it("sends Stripe every line, the booking's ids, its expiry and the return URLs", async () => {
    const { r, booking, sailing } = await held();
    const p = await pendingOf(booking.id);
    const hold = booking.holdExpiresAt.getTime();
    const expected = Math.ceil(Math.max(hold, booking.createdAt.getTime() + 31 * 60_000) / 1000) * 1000;
    expect(Math.abs(p.checkoutExpiresAt!.getTime() - expected)).toBeLessThanOrEqual(1_000);
    expect(p.checkoutExpiresAt!.getTime() % 1000).toBe(0);
    expect(p).toMatchObject({ amount: booking.totalAmount, currency: booking.currency });
    const session = await s.stripe.checkout.sessions.retrieve(p.checkoutSessionId!, {
      expand: ["line_items"],
    });
    const meta = { booking_id: booking.id, reference: r.reference, payment_id: p.id };
    expect(session).toMatchObject({
      client_reference_id: booking.id,
      customer_email: booking.contactEmail,
      metadata: meta,
      currency: "eur",
      amount_total: booking.totalAmount,
      expires_at: p.checkoutExpiresAt!.getTime() / 1000,
      success_url: `${appUrl()}/en/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${appUrl()}/en/checkout/cancelled?payment=${p.id}`,
    });
    const day = sailing.departureAt.toISOString().slice(0, 10);
    expect(session.line_items!.data.map((l) => l.description)).toEqual([
      `${r.reference} · TUN→TPS ${day} · Adult · Deck passage`,
    ]);
    expect(r.checkoutUrl).toBe(session.url);
  });

  it("gives back the open session; renews one that is about to expire", async () => {
    const { booking, r } = await held();
    const now = new Date();
    const first = await pendingOf(booking.id);
    expect((await ensureCheckoutSession(svcAt(s.svc, now), booking.id)).url).toBe(r.checkoutUrl);
    // A session with a minute and a millisecond left is still given out…
    await s.t.db
      .update(payments)
      .set({ checkoutExpiresAt: new Date(now.getTime() + 60_001) })
      .where(eq(payments.id, first.id));
    expect((await ensureCheckoutSession(svcAt(s.svc, now), booking.id)).url).toBe(r.checkoutUrl);
    // …one with a minute left is not: that payment fails and a new session is made.
    await s.t.db
      .update(payments)
      .set({ checkoutExpiresAt: new Date(now.getTime() + 60_000) })
      .where(eq(payments.id, first.id));
    const renewed = await ensureCheckoutSession(svcAt(s.svc, now), booking.id);
    expect(renewed.url).not.toBe(r.checkoutUrl);
    const rows = await paymentsOf(booking.id);
    expect(rows.map((x) => [x.status, x.failureMessage])).toEqual([
      ["FAILED", "Checkout session expired before payment"],
      ["PENDING", null],
    ]);
    expect(rows[1]!.checkoutUrl).toBe(renewed.url);
  });

  it("a session Stripe expired is replaced; one already paid is refused as ALREADY_PAID", async () => {
    const a = await held();
    const pa = await pendingOf(a.booking.id);
    s.emulator.expireSession(pa.checkoutSessionId!);
    const fresh = await ensureCheckoutSession(s.svc, a.booking.id);
    expect(fresh.url).not.toBe(a.r.checkoutUrl);
    expect((await paymentsOf(a.booking.id)).map((x) => x.status)).toEqual(["FAILED", "PENDING"]);
    const b = await held();
    s.emulator.pay((await pendingOf(b.booking.id)).checkoutSessionId!);
    await expect(ensureCheckoutSession(s.svc, b.booking.id)).rejects.toMatchObject({
      code: "CONFLICT",
      details: { reason: "ALREADY_PAID" },
    });
  });

  it("refuses a booking that is unknown, confirmed, expired or past its hold", async () => {
    const { booking } = await held();
    await expect(ensureCheckoutSession(s.svc, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const after = new Date(booking.holdExpiresAt.getTime());
    await expect(ensureCheckoutSession(svcAt(s.svc, after), booking.id)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      details: { reason: "HOLD_EXPIRED" },
    });
    const justBefore = new Date(booking.holdExpiresAt.getTime() - 1);
    await expect(ensureCheckoutSession(svcAt(s.svc, justBefore), booking.id)).resolves.toHaveProperty("url");
    await s.t.db.update(bookings).set({ status: "EXPIRED" }).where(eq(bookings.id, booking.id));
    await expect(ensureCheckoutSession(s.svc, booking.id)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await s.t.db.update(bookings).set({ status: "CONFIRMED" }).where(eq(bookings.id, booking.id));
    await expect(ensureCheckoutSession(s.svc, booking.id)).rejects.toMatchObject({
      code: "CONFLICT",
      details: { reason: "ALREADY_CONFIRMED" },
    });
  });

  it("a refusal from Stripe is the traveller's to fix; an outage is worth a retry", async () => {
    const { booking } = await held();
    await s.t.db
      .update(payments)
      .set({ checkoutExpiresAt: new Date(Date.now() - 1) })
      .where(eq(payments.bookingId, booking.id));
    s.emulator.failNext(1, 400);
    await expect(ensureCheckoutSession(s.svc, booking.id)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Our payment provider refused this payment"),
    });
    s.emulator.failNext(1, 503);
    await expect(ensureCheckoutSession(s.svc, booking.id)).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      details: { reason: "STRIPE_UNAVAILABLE" },
    });
  });
});

describe("expireCheckoutSession", () => {
  it("closes an open session, leaves a paid one alone, and skips a payment without a session", async () => {
    const a = await held();
    const pa = await pendingOf(a.booking.id);
    await expireCheckoutSession(s.svc, pa.id);
    expect((await s.stripe.checkout.sessions.retrieve(pa.checkoutSessionId!)).status).toBe("expired");
    await expireCheckoutSession(s.svc, pa.id);
    const b = await held();
    const pb = await pendingOf(b.booking.id);
    s.emulator.pay(pb.checkoutSessionId!);
    await expireCheckoutSession(s.svc, pb.id);
    expect((await s.stripe.checkout.sessions.retrieve(pb.checkoutSessionId!)).status).toBe("complete");
    const [bare] = await s.t.db
      .insert(payments)
      .values({ bookingId: b.booking.id, amount: 1, currency: "EUR" })
      .returning();
    s.emulator.failNext(1, 500);
    // No Stripe call at all: the failure armed above is still there for the next one.
    await expireCheckoutSession(s.svc, bare!.id);
    await expect(s.stripe.checkout.sessions.retrieve(pb.checkoutSessionId!)).rejects.toThrow();
  });
});

describe("createStripe", () => {
  it("points the SDK at the given base with one network retry and a 10 s timeout", () => {
    const field = (x: unknown, k: string) => (x as { getApiField(k: string): unknown }).getApiField(k);
    const local = createStripe({ secretKey: "sk_test_x", apiBase: "http://127.0.0.1:12111" });
    expect(field(local, "host")).toBe("127.0.0.1");
    expect(field(local, "port")).toBe(12111);
    expect(field(local, "protocol")).toBe("http");
    expect(field(local, "maxNetworkRetries")).toBe(1);
    expect(field(local, "timeout")).toBe(10_000);
    const remote = createStripe({
      secretKey: "sk_test_x",
      apiBase: "https://stripe.example",
      maxNetworkRetries: 3,
    });
    expect(field(remote, "port")).toBe(443);
    expect(field(remote, "protocol")).toBe("https");
    expect(field(remote, "maxNetworkRetries")).toBe(3);
    expect(field(createStripe({ secretKey: "sk_test_x", apiBase: "http://h.example" }), "port")).toBe(80);
  });
});
