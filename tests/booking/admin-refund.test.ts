import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/server/db/schema/admin";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds } from "@/server/db/schema/payments";
import { cancelBooking } from "@/server/features/booking/cancel";
import { adminRefundBooking } from "@/server/features/payments/admin-refund";
import {
  applyRefundOutcome,
  executeRefund,
  refundableFor,
  requestRefund,
} from "@/server/features/payments/refunds";
import { actorOf, makeAdmin } from "../admin/admin-helpers";
import { holdBooking, bookingStackForFile, nextSailing, payAndApply } from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";

/**
 * An admin's refund without cancelling (`adminRefundBooking`) rule by rule, and the refund steps' finer
 * points: which payment a refund goes against, the limits' messages, the job's idempotency, and replays
 * that must not touch a row.
 */
let actor: ReturnType<typeof actorOf>;
const s = bookingStackForFile({ days: 10 }, async () => {
  actor = actorOf(await makeAdmin(s.svc, "refunder"));
});

let n = 0;
async function held() {
  const i = ++n;
  const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
  const {
    reference,
    booking: b,
    payment: p,
  } = await holdBooking(s, sailing.id, i, `refunder${i}@example.com`);
  const r = { reference };
  return { booking: b!, payment: p!, reference: r.reference };
}
async function paid() {
  const h = await held();
  await payAndApply(s, h.payment!);
  const [p] = await s.t.db.select().from(payments).where(eq(payments.id, h.payment.id));
  return { ...h, payment: p! };
}
const refundRow = async (id: string) => (await s.t.db.select().from(refunds).where(eq(refunds.id, id)))[0]!;
const lastAudit = async (bookingId: string) =>
  (await s.t.db.select().from(auditLog).where(eq(auditLog.entityId, bookingId))).at(-1)!;
const ask = (x: { booking: { id: string }; payment: { id: string } }, amount: number) =>
  s.t.db.transaction((tx) =>
    requestRefund(tx, {
      bookingId: x.booking.id,
      paymentId: x.payment.id,
      amount,
      currency: "EUR",
      reason: "ADMIN_REFUND",
    }),
  );

describe("adminRefundBooking", () => {
  it("refunds everything left by default, or a part; both audited with what was refundable", async () => {
    const x = await paid();
    const total = x.booking.totalAmount;
    const part = await adminRefundBooking(s.svc, actor, {
      reference: x.reference,
      amount: 300,
      note: "cabin",
    });
    expect(part).toEqual({ refundId: expect.any(String), amount: 300, currency: "EUR", status: "PENDING" });
    expect(await refundRow(part.refundId)).toMatchObject({
      amount: 300,
      reason: "ADMIN_REFUND",
      createdBy: actor.userId,
    });
    expect(await lastAudit(x.booking.id)).toMatchObject({
      adminUserId: actor.userId,
      action: "bookings.refund",
      entity: "booking",
      before: { refundable: total },
      after: { refundId: part.refundId, amount: 300, currency: "EUR", full: false, note: "cabin" },
    });
    const rest = await adminRefundBooking(s.svc, actor, { reference: x.reference });
    expect(rest.amount).toBe(total - 300);
    expect((await lastAudit(x.booking.id)).after).toMatchObject({
      full: true,
      note: null,
      amount: total - 300,
    });
    await expect(adminRefundBooking(s.svc, actor, { reference: x.reference })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Nothing is left to refund on this booking.",
      details: { maxRefund: 0 },
    });
  });

  it("refuses more than is left, an unpaid booking and an unknown one; a cancelled booking's rest is refundable", async () => {
    const x = await paid();
    const total = x.booking.totalAmount;
    await expect(
      adminRefundBooking(s.svc, actor, { reference: x.reference, amount: total + 1 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `The refund cannot be more than the ${(total / 100).toFixed(2)} EUR still refundable.`,
      details: { maxRefund: total },
    });
    expect(await s.t.db.select().from(refunds).where(eq(refunds.bookingId, x.booking.id))).toEqual([]);
    expect((await adminRefundBooking(s.svc, actor, { reference: x.reference, amount: total })).amount).toBe(
      total,
    );
    const h = await held();
    await expect(adminRefundBooking(s.svc, actor, { reference: h.reference })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Only a paid booking can be refunded; this one was never paid.",
    });
    await expect(adminRefundBooking(s.svc, actor, { reference: "TRV-ZZZZ-ZZZZ" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const c = await paid();
    // Inside 48 h of departure the policy refunds nothing; the admin can still give it all back.
    const r = await cancelBooking(svcAt(s.svc, new Date(Date.now() + 2 * 24 * 3600_000)), c.booking.id);
    expect(r.refund.amount).toBe(0);
    expect((await adminRefundBooking(s.svc, actor, { reference: c.reference })).amount).toBe(
      c.booking.totalAmount,
    );
  });
});

describe("refund steps, finer points", () => {
  it("goes against the payment with the most left, the earliest on a tie", async () => {
    const x = await paid();
    const total = x.booking.totalAmount;
    const extra = (amount: number) =>
      s.t.db
        .insert(payments)
        .values({ bookingId: x.booking.id, amount, currency: "EUR", status: "COMPLETED" });
    await extra(100);
    expect((await refundableFor(s.t.db, x.booking.id)).paymentId).toBe(x.payment.id);
    await extra(total);
    expect((await refundableFor(s.t.db, x.booking.id)).paymentId).toBe(x.payment.id);
  });

  it("says what is left in its refusals, from the first refund on", async () => {
    const x = await paid();
    const total = x.booking.totalAmount;
    await expect(ask(x, total + 1)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `The refund must be between 0.01 and ${(total / 100).toFixed(2)} EUR: that is what is left of the payment once earlier and pending refunds are counted.`,
      details: { maxRefund: total },
    });
    const [unpaid] = await s.t.db
      .insert(payments)
      .values({ bookingId: x.booking.id, amount: 500, currency: "EUR" })
      .returning();
    await expect(ask({ booking: x.booking, payment: unpaid! }, 10)).rejects.toThrow(
      "This payment was never completed, so there is nothing to refund.",
    );
  });

  it("the job is idempotent: a retry after a lost answer, or a row that has its Stripe id, makes no second refund", async () => {
    const x = await paid();
    const a = await ask(x, 400);
    await executeRefund(s.svc, a);
    const first = await refundRow(a);
    // Our side forgets Stripe's answer, as if the process died right after the call.
    await s.t.db.update(refunds).set({ status: "PENDING", stripeRefundId: null }).where(eq(refunds.id, a));
    await s.t.db
      .update(payments)
      .set({ status: "COMPLETED", amountRefunded: 0 })
      .where(eq(payments.id, x.payment.id));
    await executeRefund(s.svc, a);
    expect((await refundRow(a)).stripeRefundId).toBe(first.stripeRefundId);
    // A row that kept its Stripe id is reconciled by a retrieve, not created again.
    await s.t.db.update(refunds).set({ status: "PENDING" }).where(eq(refunds.id, a));
    await s.t.db
      .update(payments)
      .set({ status: "COMPLETED", amountRefunded: 0 })
      .where(eq(payments.id, x.payment.id));
    await executeRefund(s.svc, a);
    expect((await refundRow(a)).status).toBe("SUCCEEDED");
    const atStripe = await s.stripe.refunds.list({ payment_intent: x.payment.paymentIntentId! });
    expect(atStripe.data.map((r) => r.id)).toEqual([first.stripeRefundId]);
    const [mail] = await s.t.db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.dedupeKey, `refund-succeeded:${a}`));
    expect(mail!.data).toEqual({ refundId: a, amount: 400, currency: "EUR", reason: "ADMIN_REFUND" });
  });

  it("a replay with the status a row already has does not touch it", async () => {
    const x = await paid();
    const a = await ask(x, 100);
    const before = await refundRow(a);
    const later = svcAt(s.svc, new Date(Date.now() + 3_600_000));
    await applyRefundOutcome(later, { refundId: a, status: "PENDING" });
    expect((await refundRow(a)).updatedAt).toEqual(before.updatedAt);
    await applyRefundOutcome(s.svc, { refundId: a, stripeRefundId: "re_replayed", status: "SUCCEEDED" });
    const done = await refundRow(a);
    expect(done.stripeRefundId).toBe("re_replayed");
    await applyRefundOutcome(later, { refundId: a, stripeRefundId: "re_replayed", status: "SUCCEEDED" });
    await applyRefundOutcome(later, { stripeRefundId: "re_replayed", status: "SUCCEEDED" });
    expect((await refundRow(a)).updatedAt).toEqual(done.updatedAt);
  });
});
