import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds, stripeEvents } from "@/server/db/schema/payments";
import { type PaidCheckout, handleStripeEvent } from "@/server/features/payments/events";
import { requestRefund } from "@/server/features/payments/refunds";
import { holdBooking, bookingStackForFile, nextSailing, payAndApply } from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";

/**
 * Each Stripe event type through `handleStripeEvent`, recorded as the webhook would and processed by hand
 * (no worker): what reaches the booking, what changes on payments and refunds, and that the event is
 * marked processed at the service clock's time, once.
 */
const s = bookingStackForFile({ days: 10 });

const AT = new Date("2027-03-01T10:00:00Z");
let n = 0;
async function held() {
  const i = ++n;
  const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
  const { reference, booking: b, payment: p } = await holdBooking(s, sailing.id, i, `events${i}@example.com`);
  const _r = { reference };
  return { booking: b!, payment: p! };
}
async function paid() {
  const h = await held();
  await payAndApply(s, h.payment!);
  const [p] = await s.t.db.select().from(payments).where(eq(payments.id, h.payment.id));
  return { booking: h.booking, payment: p! };
}
/** Records an event as the webhook handler would, without its job. */
async function record(type: string, object: Record<string, unknown>) {
  const id = `evt_m_${randomUUID()}`;
  await s.t.db.insert(stripeEvents).values({ id, type, payload: { id, type, data: { object } } });
  return id;
}
async function handle(id: string) {
  const seen: PaidCheckout[] = [];
  await handleStripeEvent(svcAt(s.svc, AT), id, async (p) => {
    seen.push(p);
  });
  const [row] = await s.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, id));
  return { seen, processedAt: row?.processedAt ?? null };
}
const paymentRow = async (id: string) =>
  (await s.t.db.select().from(payments).where(eq(payments.id, id)))[0]!;
const refundRow = async (id: string) => (await s.t.db.select().from(refunds).where(eq(refunds.id, id)))[0]!;

describe("paid Checkout sessions", () => {
  it("hand what Stripe charged to the booking, once, and mark the event processed", async () => {
    const id = await record("checkout.session.completed", {
      id: "cs_m_1",
      payment_status: "paid",
      payment_intent: "pi_m_1",
      amount_total: 12_345,
      currency: "eur",
      metadata: { payment_id: "p" },
    });
    const first = await handle(id);
    expect(first.seen).toEqual([
      {
        sessionId: "cs_m_1",
        paymentIntentId: "pi_m_1",
        amountTotal: 12_345,
        currency: "eur",
        metadata: { payment_id: "p" },
      },
    ]);
    expect(first.processedAt).toEqual(AT);
    expect((await handle(id)).seen).toEqual([]);
  });

  it("an async success with no payment needed and sparse fields still confirms, with safe defaults", async () => {
    const id = await record("checkout.session.async_payment_succeeded", {
      id: "cs_m_2",
      payment_status: "no_payment_required",
      payment_intent: { id: "pi_m_2" },
      amount_total: null,
      currency: null,
      metadata: null,
    });
    expect((await handle(id)).seen).toEqual([
      { sessionId: "cs_m_2", paymentIntentId: "pi_m_2", amountTotal: 0, currency: "", metadata: {} },
    ]);
    const noIntent = await record("checkout.session.completed", {
      id: "cs_m_3",
      payment_status: "paid",
      payment_intent: null,
      amount_total: 1,
      currency: "eur",
    });
    expect((await handle(noIntent)).seen[0]!.paymentIntentId).toBeNull();
  });

  it("a completed session not paid yet (bank debit) waits, but the event is done", async () => {
    const id = await record("checkout.session.completed", { id: "cs_m_4", payment_status: "unpaid" });
    const r = await handle(id);
    expect(r.seen).toEqual([]);
    expect(r.processedAt).toEqual(AT);
  });

  it("an unknown event id or an event type we do not handle changes nothing and does not throw", async () => {
    expect((await handle("evt_m_missing")).processedAt).toBeNull();
    const id = await record("customer.created", { id: "cus_1" });
    expect((await handle(id)).processedAt).toEqual(AT);
  });
});

describe("failed and expired sessions", () => {
  it("mark only a pending payment FAILED, saying which", async () => {
    const a = await held();
    const b = await held();
    await handle(await record("checkout.session.async_payment_failed", { id: a.payment.checkoutSessionId }));
    await handle(await record("checkout.session.expired", { id: b.payment.checkoutSessionId }));
    expect(await paymentRow(a.payment.id)).toMatchObject({
      status: "FAILED",
      failureMessage: "The payment failed",
      updatedAt: AT,
    });
    expect(await paymentRow(b.payment.id)).toMatchObject({
      status: "FAILED",
      failureMessage: "Checkout session expired",
    });
    const c = await paid();
    await handle(await record("checkout.session.expired", { id: c.payment.checkoutSessionId }));
    expect(await paymentRow(c.payment.id)).toMatchObject({ status: "COMPLETED", failureMessage: null });
  });
});

describe("refund events", () => {
  /** A paid booking, a PENDING refund row for `amount`, and the matching refund made at Stripe. */
  async function refundedAtStripe(amount: number) {
    const { booking, payment } = await paid();
    const refundId = await s.t.db.transaction((tx) =>
      requestRefund(tx, {
        bookingId: booking.id,
        paymentId: payment.id,
        amount,
        currency: payment.currency,
        reason: "ADMIN_REFUND",
      }),
    );
    const atStripe = await s.stripe.refunds.create({
      payment_intent: payment.paymentIntentId!,
      amount,
      metadata: { refund_id: refundId },
    });
    return { booking, payment, refundId, atStripe };
  }

  it("charge.refunded reads every refund of the payment intent from Stripe and applies it", async () => {
    const { booking, payment, refundId, atStripe } = await refundedAtStripe(1_000);
    expect((await refundRow(refundId)).status).toBe("PENDING");
    const r = await handle(
      await record("charge.refunded", { id: "ch_m", payment_intent: payment.paymentIntentId }),
    );
    expect(r.processedAt).toEqual(AT);
    expect(await refundRow(refundId)).toMatchObject({ status: "SUCCEEDED", stripeRefundId: atStripe.id });
    expect(await paymentRow(payment.id)).toMatchObject({
      status: "PARTIALLY_REFUNDED",
      amountRefunded: 1_000,
    });
    const mails = await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, booking.id));
    expect(mails.filter((m) => m.kind === "refund_completed")).toHaveLength(1);
  });

  it("charge.refunded naming a payment intent by object works too; without one nothing is asked", async () => {
    const { payment, refundId } = await refundedAtStripe(500);
    await handle(await record("charge.refunded", { id: "ch_m2", payment_intent: null }));
    expect((await refundRow(refundId)).status).toBe("PENDING");
    await handle(
      await record("charge.refunded", { id: "ch_m3", payment_intent: { id: payment.paymentIntentId } }),
    );
    expect((await refundRow(refundId)).status).toBe("SUCCEEDED");
  });

  it.each(["refund.created", "refund.updated", "refund.failed"])(
    "%s retrieves the refund rather than trusting the event's copy",
    async (type) => {
      const { payment, refundId, atStripe } = await refundedAtStripe(300);
      // The event's snapshot says pending; Stripe says succeeded.
      await handle(await record(type, { id: atStripe.id, status: "pending", metadata: {} }));
      expect(await refundRow(refundId)).toMatchObject({ status: "SUCCEEDED", stripeRefundId: atStripe.id });
      expect((await paymentRow(payment.id)).amountRefunded).toBe(300);
    },
  );
});
