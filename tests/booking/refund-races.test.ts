import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { payments, refunds } from "@/server/db/schema/payments";
import { cancelBooking } from "@/server/features/booking/cancel";
import { applyPaidCheckout } from "@/server/features/booking/lifecycle";
import { cancelForTraveller } from "@/server/features/booking/manage";
import { executeRefund, requestRefund } from "@/server/features/payments/refunds";
import { createStripe } from "@/server/features/payments/stripe-client";
import { pgErrorCode } from "@/server/lib/errors";
import { adminCaller } from "../admin/admin-helpers";
import {
  inventoryOf,
  nextSailing,
  bookingStackForFile,
  holdBooking,
  paidCheckoutOf,
} from "../helpers/booking-stack";
import { gateBookingStatus, waitForLockWait } from "../helpers/pause";
import { withOverrides } from "../helpers/services";

// No worker here: each test runs the refund jobs itself, so "still pending at Stripe" is a state it controls.
let api: Awaited<ReturnType<typeof adminCaller>>["caller"];
const s = bookingStackForFile({ days: 30 }, async () => {
  ({ caller: api } = await adminCaller(s.svc));
});

/** A held booking more than 7 days out (full refund under either policy), paid at Stripe but not yet applied. */
async function paidAtStripe(daysAhead: number, i: number) {
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const held = await holdBooking(s, sailing.id, i, `rr${i}@example.com`);
  s.emulator.pay(held.payment.checkoutSessionId!);
  return { ...held, sailing, paid: await paidCheckoutOf(s, held.payment.checkoutSessionId!) };
}

async function confirmed(daysAhead: number, i: number) {
  const b = await paidAtStripe(daysAhead, i);
  expect(await applyPaidCheckout(s.svc, b.paid)).toBe("CONFIRMED");
  return b;
}

const refundRows = (bookingId: string) =>
  s.t.db.select().from(refunds).where(eq(refunds.bookingId, bookingId)).orderBy(refunds.createdAt);
const stripeRefunds = async (pi: string) => (await s.stripe.refunds.list({ payment_intent: pi })).data;

async function runPendingRefunds(bookingId: string) {
  const pending = await s.t.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.bookingId, bookingId), eq(refunds.status, "PENDING")));
  for (const r of pending) await executeRefund(s.svc, r.id);
}

describe("a cancel racing the payment webhook", () => {
  it("payment first: the cancel waits for it and refunds the paid booking by the policy, not 0", async () => {
    const { booking, sailing, paid } = await paidAtStripe(12, 1);
    const deck = await inventoryOf(s.t, sailing.id, "DECK");
    // Stop the payment's transaction just before it marks the booking CONFIRMED (it holds the row lock).
    const gate = await gateBookingStatus(s.t, booking.id, "CONFIRMED");
    try {
      await gate.close();
      const paying = applyPaidCheckout(s.svc, paid);
      await gate.waitUntilHeld();
      // The traveller cancels now: the cancel starts before the payment commits, and must finish after it.
      const cancelling = cancelBooking(s.svc, booking.id);
      await waitForLockWait(s.t, "the cancel to wait for the booking row", { query: "for update" });
      await gate.open();
      expect(await paying).toBe("CONFIRMED");
      const cancelled = await cancelling;
      // More than 7 days out: the policy refunds everything that was paid.
      expect(cancelled.refund.amount).toBe(paid.amountTotal);
    } finally {
      await gate.remove();
    }
    expect(await refundRows(booking.id)).toEqual([
      expect.objectContaining({
        amount: paid.amountTotal,
        reason: "CUSTOMER_CANCELLATION",
        status: "PENDING",
      }),
    ]);
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(b!.status).toBe("CANCELLED");
    expect(await inventoryOf(s.t, sailing.id, "DECK")).toEqual({ ...deck, held: deck.held - 1 });
  });

  it("cancel first: the payment waits, finds the booking cancelled and is refunded in full", async () => {
    const { booking, sailing, paid } = await paidAtStripe(13, 2);
    const deck = await inventoryOf(s.t, sailing.id, "DECK");
    const gate = await gateBookingStatus(s.t, booking.id, "CANCELLED");
    try {
      await gate.close();
      const cancelling = cancelBooking(s.svc, booking.id);
      await gate.waitUntilHeld();
      const paying = applyPaidCheckout(s.svc, paid);
      await waitForLockWait(s.t, "the payment to wait for the booking row", { query: "for update" });
      await gate.open();
      // Nothing was paid when the cancel ran; the payment that follows gives everything back.
      expect((await cancelling).refund.amount).toBe(0);
      expect(await paying).toBe("REFUNDED_CANCELLED");
    } finally {
      await gate.remove();
    }
    expect(await refundRows(booking.id)).toEqual([
      expect.objectContaining({ amount: paid.amountTotal, reason: "PAYMENT_FOR_CANCELLED_BOOKING" }),
    ]);
    expect(await inventoryOf(s.t, sailing.id, "DECK")).toEqual({ ...deck, held: deck.held - 1 });
  });
});

describe("a traveller cancel after a full admin refund asks for nothing more", () => {
  it.each([
    ["still pending at Stripe", false],
    ["already succeeded", true],
  ] as const)("when the admin refund is %s", async (_label, settleFirst) => {
    const { booking, paid, reference, email } = await confirmed(
      14 + (settleFirst ? 1 : 0),
      settleFirst ? 4 : 3,
    );
    const full = await api.admin.bookings.refund({ reference });
    expect(full.amount).toBe(paid.amountTotal);
    if (settleFirst) await runPendingRefunds(booking.id);

    const res = await cancelForTraveller(
      s.svc,
      { reference, email },
      { ip: `10.0.0.${settleFirst ? 4 : 3}` },
    );
    expect(res).toMatchObject({ status: "CANCELLED", refund: { amount: 0 } });
    const rows = await refundRows(booking.id);
    expect(rows).toEqual([expect.objectContaining({ id: full.refundId, amount: paid.amountTotal })]);

    await runPendingRefunds(booking.id);
    const atStripe = await stripeRefunds(paid.paymentIntentId!);
    expect(atStripe.map((r) => r.amount)).toEqual([paid.amountTotal]);
    const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, booking.id));
    expect(p).toMatchObject({ status: "REFUNDED", amountRefunded: paid.amountTotal });
  });

  it("an admin cancel after a pending partial refund refunds only the rest", async () => {
    const { booking, paid, reference } = await confirmed(16, 5);
    await api.admin.bookings.refund({ reference, amount: 1_000 });
    // More than is left once the pending 10.00 is counted: refused, nothing changes.
    await expect(
      api.admin.bookings.cancel({ reference, refundAmount: paid.amountTotal }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await refundRows(booking.id)).toHaveLength(1);
    const res = await api.admin.bookings.cancel({ reference });
    expect(res.refund.amount).toBe(paid.amountTotal - 1_000);
    await runPendingRefunds(booking.id);
    const atStripe = await stripeRefunds(paid.paymentIntentId!);
    expect(atStripe.map((r) => r.amount).sort((a, b) => a - b)).toEqual([1_000, paid.amountTotal - 1_000]);
    await expect(api.admin.bookings.refund({ reference })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("never more than was paid, in the database too", () => {
  it("requestRefund refuses more than is left once pending refunds are counted", async () => {
    const { booking, payment, paid } = await confirmed(17, 6);
    await s.t.db.transaction((tx) =>
      requestRefund(tx, {
        bookingId: booking.id,
        paymentId: payment.id,
        amount: paid.amountTotal - 100,
        currency: "EUR",
        reason: "ADMIN_REFUND",
      }),
    );
    await expect(
      s.t.db.transaction((tx) =>
        requestRefund(tx, {
          bookingId: booking.id,
          paymentId: payment.id,
          amount: 101,
          currency: "EUR",
          reason: "ADMIN_REFUND",
        }),
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", details: { maxRefund: 100 } });
    expect(await refundRows(booking.id)).toHaveLength(1);
  });

  it("two transactions refunding the same payment at once: the trigger lets only what was paid through", async () => {
    const { booking, payment, paid } = await confirmed(18, 7);
    const insert = (c: typeof s.t.sql) =>
      c`insert into refunds (booking_id, payment_id, amount, currency, reason)
        values (${booking.id}, ${payment.id}, ${paid.amountTotal}, 'EUR', 'ADMIN_REFUND')`;
    const a = await s.t.sql.reserve();
    const b = await s.t.sql.reserve();
    try {
      await a`begin`;
      await insert(a);
      await b`begin`;
      // B's trigger waits for A's lock on the payment row, then counts A's committed refund.
      const second = insert(b).then(
        () => null,
        (e: unknown) => e,
      );
      await waitForLockWait(s.t, "the second refund to wait for the payment row", {
        query: "insert into refunds",
      });
      await a`commit`;
      const err = await second;
      expect(pgErrorCode(err)).toBe("23514");
      expect(String((err as Error).message)).toContain("would add up to");
    } finally {
      await a`rollback`;
      await b`rollback`;
      a.release();
      b.release();
    }
    expect(await refundRows(booking.id)).toEqual([expect.objectContaining({ amount: paid.amountTotal })]);
  });
});

describe("the refund job", () => {
  it("retrieves a refund that already has a Stripe id instead of creating it again", async () => {
    const { booking, paid, reference } = await confirmed(19, 8);
    const part = await api.admin.bookings.refund({ reference, amount: 2_000 });
    // Stripe answers "pending" for this one, so our row keeps its Stripe id and stays PENDING.
    s.emulator.failNextRefunds(1);
    await executeRefund(s.svc, part.refundId);
    const [row] = await refundRows(booking.id);
    expect(row).toMatchObject({ status: "PENDING", stripeRefundId: expect.stringMatching(/^re_/) });
    // The job runs again after Stripe has forgotten the idempotency key (24 h, or a rotated API key):
    // only a retrieve keeps it from refunding a second time.
    const rotated = createStripe({
      secretKey: "sk_test_rotated_key",
      apiBase: s.emulator.url,
      maxNetworkRetries: 0,
    });
    await executeRefund(withOverrides(s.svc, { stripe: rotated }), part.refundId);
    await executeRefund(withOverrides(s.svc, { stripe: rotated }), part.refundId);
    const atStripe = await stripeRefunds(paid.paymentIntentId!);
    expect(atStripe.map((r) => r.id)).toEqual([row!.stripeRefundId]);
    const [after] = await refundRows(booking.id);
    expect(after!.stripeRefundId).toBe(row!.stripeRefundId);
  });
});
