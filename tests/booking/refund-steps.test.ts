import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds } from "@/server/db/schema/payments";
import { createBooking } from "@/server/features/booking/create";
import {
  applyRefundOutcome,
  applyStripeRefund,
  executeRefund,
  refundableFor,
  requestRefund,
} from "@/server/features/payments/refunds";
import type { RefundReason } from "@/server/db/schema/payments";
import { adult, bookingInput, bookingStackForFile, nextSailing, payAndApply } from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";

/**
 * The refund steps one by one: what `requestRefund` accepts, how `refundableFor` counts, how the job
 * (`executeRefund`) treats each answer from Stripe, and how a Stripe refund's status lands on our rows.
 */
const s = bookingStackForFile({ days: 10 });

const AT = new Date("2027-03-02T08:00:00Z");
let n = 0;
async function paid() {
  const i = ++n;
  const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
  const r = await createBooking(
    s.svc,
    bookingInput(sailing.id, { passengers: [adult(i)], contact: { email: `steps${i}@example.com` } }),
  );
  const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
  const [p0] = await s.t.db.select().from(payments).where(eq(payments.bookingId, b!.id));
  await payAndApply(s, p0!);
  const [p] = await s.t.db.select().from(payments).where(eq(payments.id, p0!.id));
  return { booking: b!, payment: p! };
}
const ask = (
  x: { booking: { id: string }; payment: { id: string; currency: string } },
  amount: number,
  reason: RefundReason = "ADMIN_REFUND",
) =>
  s.t.db.transaction((tx) =>
    requestRefund(tx, {
      bookingId: x.booking.id,
      paymentId: x.payment.id,
      amount,
      currency: x.payment.currency,
      reason,
    }),
  );
const refundRow = async (id: string) => (await s.t.db.select().from(refunds).where(eq(refunds.id, id)))[0]!;
const paymentRow = async (id: string) =>
  (await s.t.db.select().from(payments).where(eq(payments.id, id)))[0]!;
const mailsOf = async (bookingId: string) =>
  (await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, bookingId))).map((m) => ({
    kind: m.kind,
    key: m.dedupeKey,
  }));
const stripeRefund = (o: Partial<Stripe.Refund>) =>
  ({ id: "re_x", status: "pending", ...o }) as Stripe.Refund;

describe("requestRefund", () => {
  it("records the refund and its job; refuses nothing left, a zero amount and an unpaid payment", async () => {
    const x = await paid();
    const total = x.payment.amount;
    const id = await ask(x, 100);
    expect(await refundRow(id)).toMatchObject({ amount: 100, status: "PENDING", reason: "ADMIN_REFUND" });
    const [job] = await s.t.sql<{ task: string; max_attempts: number }[]>`
      select task_identifier as task, max_attempts from graphile_worker.jobs where key = ${`refund:${id}`}`;
    expect(job).toEqual({ task: "create_refund", max_attempts: 20 });
    await expect(ask(x, 0)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(ask(x, total - 99)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { maxRefund: total - 100 },
    });
    await ask(x, total - 100);
    await expect(ask(x, 1)).rejects.toThrow(/between 0.01 and 0.00/);
    const [unpaid] = await s.t.db
      .insert(payments)
      .values({ bookingId: x.booking.id, amount: 500, currency: "EUR" })
      .returning();
    await expect(ask({ booking: x.booking, payment: unpaid! }, 10)).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("refundableFor", () => {
  it("is paid − succeeded − pending, on the payment with the most left, and 0 with nothing paid", async () => {
    const x = await paid();
    const total = x.payment.amount;
    expect(await refundableFor(s.t.db, x.booking.id)).toEqual({
      paymentId: x.payment.id,
      currency: x.payment.currency,
      paid: total,
      amount: total,
    });
    const done = await ask(x, 200);
    await applyRefundOutcome(s.svc, { refundId: done, status: "SUCCEEDED" });
    await ask(x, 50);
    expect((await refundableFor(s.t.db, x.booking.id, { lock: true })).amount).toBe(total - 250);
    // A total that ran ahead of the refund rows counts too.
    await s.t.db.update(payments).set({ amountRefunded: 400 }).where(eq(payments.id, x.payment.id));
    expect((await refundableFor(s.t.db, x.booking.id)).amount).toBe(total - 450);
    // A second, larger-remaining payment on the same booking is the one refunds go against.
    const [second] = await s.t.db
      .insert(payments)
      .values({ bookingId: x.booking.id, amount: total, currency: "EUR", status: "COMPLETED" })
      .returning();
    expect(await refundableFor(s.t.db, x.booking.id)).toMatchObject({ paymentId: second!.id, amount: total });
    const unpaid = await createBooking(
      s.svc,
      bookingInput((await nextSailing(s.t, "TUN", "TPS", 3)).id, {
        contact: { email: `steps-unpaid${n}@example.com` },
      }),
    );
    const [none] = await s.t.db.select().from(bookings).where(eq(bookings.reference, unpaid.reference));
    expect(await refundableFor(s.t.db, none!.id)).toEqual({
      paymentId: null,
      currency: null,
      paid: 0,
      amount: 0,
    });
  });
});

describe("a Stripe refund's status on our rows", () => {
  it("succeeded: payment PARTIALLY_REFUNDED then REFUNDED, one email each, replays change nothing", async () => {
    const x = await paid();
    const total = x.payment.amount;
    const a = await ask(x, 1_000);
    await applyStripeRefund(
      svcAt(s.svc, AT),
      stripeRefund({ id: "re_a", status: "succeeded", metadata: { refund_id: a } }),
    );
    expect(await refundRow(a)).toMatchObject({
      status: "SUCCEEDED",
      stripeRefundId: "re_a",
      updatedAt: AT,
      failureReason: null,
    });
    expect(await paymentRow(x.payment.id)).toMatchObject({
      status: "PARTIALLY_REFUNDED",
      amountRefunded: 1_000,
      updatedAt: AT,
    });
    const b = await ask(x, total - 1_000);
    // Found by its Stripe id alone (an event without our metadata).
    await applyRefundOutcome(s.svc, { refundId: b, stripeRefundId: "re_b", status: "PENDING" });
    expect(await refundRow(b)).toMatchObject({ status: "PENDING", stripeRefundId: "re_b" });
    await applyStripeRefund(s.svc, stripeRefund({ id: "re_b", status: "succeeded" }));
    await applyStripeRefund(s.svc, stripeRefund({ id: "re_b", status: "succeeded", metadata: {} }));
    expect(await paymentRow(x.payment.id)).toMatchObject({ status: "REFUNDED", amountRefunded: total });
    expect((await mailsOf(x.booking.id)).filter((m) => m.kind === "refund_completed")).toEqual([
      { kind: "refund_completed", key: `refund-succeeded:${a}` },
      { kind: "refund_completed", key: `refund-succeeded:${b}` },
    ]);
  });

  it("failed or canceled: FAILED with Stripe's reason or a default, the payment untouched, one email", async () => {
    const x = await paid();
    const a = await ask(x, 100);
    const b = await ask(x, 200);
    const c = await ask(x, 300);
    await applyStripeRefund(
      s.svc,
      stripeRefund({
        id: "re_fa",
        status: "failed",
        failure_reason: "lost_or_stolen_card",
        metadata: { refund_id: a },
      }),
    );
    await applyStripeRefund(
      s.svc,
      stripeRefund({ id: "re_fb", status: "canceled", metadata: { refund_id: b } }),
    );
    await applyStripeRefund(
      s.svc,
      stripeRefund({ id: "re_fc", status: "requires_action", metadata: { refund_id: c } }),
    );
    expect(await refundRow(a)).toMatchObject({ status: "FAILED", failureReason: "lost_or_stolen_card" });
    expect(await refundRow(b)).toMatchObject({
      status: "FAILED",
      failureReason: "Refused by the card issuer",
    });
    expect(await refundRow(c)).toMatchObject({
      status: "PENDING",
      failureReason: null,
      stripeRefundId: "re_fc",
    });
    // A FAILED refund never turns SUCCEEDED later.
    await applyStripeRefund(
      s.svc,
      stripeRefund({ id: "re_fa", status: "succeeded", metadata: { refund_id: a } }),
    );
    expect((await refundRow(a)).status).toBe("FAILED");
    expect(await paymentRow(x.payment.id)).toMatchObject({ status: "COMPLETED", amountRefunded: 0 });
    expect((await mailsOf(x.booking.id)).filter((m) => m.kind.startsWith("refund_"))).toEqual([
      { kind: "refund_failed", key: `refund-failed:${a}` },
      { kind: "refund_failed", key: `refund-failed:${b}` },
    ]);
    // A Stripe refund we never asked for is logged and left alone.
    await applyStripeRefund(s.svc, stripeRefund({ id: "re_unknown", status: "succeeded", metadata: {} }));
    await applyRefundOutcome(s.svc, { status: "SUCCEEDED" });
  });
});

describe("the create_refund job", () => {
  it("sends the amount and reason to Stripe once; a duplicate payment is refunded as `duplicate`", async () => {
    const x = await paid();
    const a = await ask(x, 700, "DUPLICATE_PAYMENT");
    await executeRefund(s.svc, a);
    const row = await refundRow(a);
    expect(row.status).toBe("SUCCEEDED");
    const atStripe = await s.stripe.refunds.retrieve(row.stripeRefundId!);
    expect(atStripe).toMatchObject({
      amount: 700,
      reason: "duplicate",
      payment_intent: x.payment.paymentIntentId,
    });
    expect(atStripe.metadata).toEqual({ refund_id: a, booking_id: x.booking.id });
    const b = await ask(x, 100);
    await executeRefund(s.svc, b);
    expect((await s.stripe.refunds.retrieve((await refundRow(b)).stripeRefundId!)).reason).toBe(
      "requested_by_customer",
    );
    // Done rows are left alone: no second Stripe refund.
    await executeRefund(s.svc, a);
    expect((await s.stripe.refunds.list({ payment_intent: x.payment.paymentIntentId! })).data).toHaveLength(
      2,
    );
    await executeRefund(s.svc, "00000000-0000-4000-8000-000000000000");
  });

  it("a refusal from Stripe marks it FAILED; an outage throws so the job retries", async () => {
    const x = await paid();
    const a = await ask(x, 100);
    s.emulator.failNext(1, 500);
    await expect(executeRefund(s.svc, a)).rejects.toThrow();
    expect(await refundRow(a)).toMatchObject({ status: "PENDING", stripeRefundId: null });
    // Refunded behind our back in full: Stripe refuses the next one as an invalid request.
    await s.stripe.refunds.create({ payment_intent: x.payment.paymentIntentId! });
    await executeRefund(s.svc, a);
    expect(await refundRow(a)).toMatchObject({
      status: "FAILED",
      failureReason: expect.stringMatching(/.+/),
    });
    expect((await refundRow(a)).failureReason).not.toBe("Refused by Stripe");
  });

  it("a payment without a payment intent fails with a reason and no Stripe call", async () => {
    const x = await paid();
    await s.t.db.update(payments).set({ paymentIntentId: null }).where(eq(payments.id, x.payment.id));
    const a = await ask(x, 100);
    await executeRefund(s.svc, a);
    expect(await refundRow(a)).toMatchObject({
      status: "FAILED",
      failureReason: "The payment has no Stripe payment intent.",
    });
  });
});
