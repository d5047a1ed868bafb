import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds } from "@/server/db/schema/payments";
import { applyPaidCheckout, expireHold, expireOverdueHolds } from "@/server/features/booking/lifecycle";
import type { PaidCheckout } from "@/server/features/payments/events";
import { holdBooking, bookingStackForFile, inventoryOf, nextSailing } from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";

/**
 * The payment and expiry transitions field by field: what `applyPaidCheckout` writes for each outcome
 * (confirm, replay, lost session id, duplicate, zero or mismatched amounts) and where `expireHold` draws
 * the line, with a fixed clock so every timestamp can be compared exactly.
 */
const s = bookingStackForFile({ days: 10 });

const AT = new Date(Date.now() + 60_000);
const at = () => svcAt(s.svc, AT);
let n = 0;
async function held(daysAhead = 3) {
  const i = ++n;
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const { reference, booking: b, payment: p } = await holdBooking(s, sailing.id, i, `edge${i}@example.com`);
  const _r = { reference };
  return { booking: b!, payment: p!, sailing };
}
const paidFor = (
  p: { checkoutSessionId: string | null; id: string },
  amount: number,
  over: Partial<PaidCheckout> = {},
) => ({
  sessionId: p.checkoutSessionId ?? "cs_none",
  paymentIntentId: `pi_${p.id.slice(0, 8)}`,
  amountTotal: amount,
  currency: "eur",
  metadata: { payment_id: p.id },
  ...over,
});
const bookingRow = async (id: string) =>
  (await s.t.db.select().from(bookings).where(eq(bookings.id, id)))[0]!;
const paymentRow = async (id: string) =>
  (await s.t.db.select().from(payments).where(eq(payments.id, id)))[0]!;
const mails = async (bookingId: string) =>
  (await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, bookingId))).map((m) => ({
    kind: m.kind,
    key: m.dedupeKey,
    data: m.data,
  }));
const jobKeys = async (prefix: string) =>
  (
    await s.t.sql<{ key: string; task: string }[]>`
    select key, task_identifier as task from graphile_worker.jobs where key like ${`${prefix}%`}`
  ).map((j) => `${j.task} ${j.key}`);

describe("applyPaidCheckout", () => {
  it("confirms: every field of the payment and the booking, one email, the hold's job gone; a replay changes nothing", async () => {
    const { booking, payment } = await held();
    const paid = paidFor(payment, booking.totalAmount);
    expect(await applyPaidCheckout(at(), paid)).toBe("CONFIRMED");
    expect(await paymentRow(payment.id)).toMatchObject({
      status: "COMPLETED",
      checkoutSessionId: payment.checkoutSessionId,
      paymentIntentId: paid.paymentIntentId,
      amount: booking.totalAmount,
      currency: "EUR",
      flag: null,
      updatedAt: AT,
    });
    expect(await bookingRow(booking.id)).toMatchObject({
      status: "CONFIRMED",
      confirmedAt: AT,
      updatedAt: AT,
    });
    expect(await jobKeys(`hold:${booking.id}`)).toEqual([]);
    expect(await applyPaidCheckout(s.svc, paid)).toBe("ALREADY_APPLIED");
    expect(await mails(booking.id)).toEqual([
      { kind: "booking_confirmed", key: `confirmed:${booking.id}`, data: {} },
    ]);
  });

  it("finds the payment by the session's metadata when its session id was never stored", async () => {
    const { booking, payment } = await held();
    await s.t.db.update(payments).set({ checkoutSessionId: null }).where(eq(payments.id, payment.id));
    const paid = paidFor(payment, booking.totalAmount, { sessionId: "cs_lost_in_a_crash" });
    expect(await applyPaidCheckout(s.svc, paid)).toBe("CONFIRMED");
    expect((await paymentRow(payment.id)).checkoutSessionId).toBe("cs_lost_in_a_crash");
    expect(await applyPaidCheckout(s.svc, { ...paid, sessionId: "cs_other", metadata: {} })).toBe(
      "UNKNOWN_SESSION",
    );
    // Neither a non-UUID, an unknown UUID, nor text around the real one finds a payment (and none is a
    // query error): only a whole UUID is looked up.
    const unknownIds = [
      "not-a-uuid",
      "00000000-0000-4000-8000-000000000000",
      `${payment.id}x`,
      `x${payment.id}`,
    ];
    for (const id of unknownIds) {
      const other = { ...paid, sessionId: "cs_other", metadata: { payment_id: id } };
      expect(await applyPaidCheckout(s.svc, other)).toBe("UNKNOWN_SESSION");
    }
  });

  it.each([
    { first: "right", outcome: "REFUNDED_DUPLICATE", reason: "DUPLICATE_PAYMENT" },
    { first: "wrong", outcome: "REFUNDED_CANCELLED", reason: "PAYMENT_FOR_CANCELLED_BOOKING" },
  ] as const)("a second payment after a $first amount is refunded in full ($reason)", async (c) => {
    const { booking, payment } = await held();
    // A right amount confirms the booking; a wrong one is refunded and cancels it.
    await applyPaidCheckout(s.svc, paidFor(payment, c.first === "right" ? booking.totalAmount : 1));
    const [second] = await s.t.db
      .insert(payments)
      .values({
        bookingId: booking.id,
        amount: booking.totalAmount,
        currency: "EUR",
        checkoutSessionId: `cs_second_${c.first}`,
      })
      .returning();
    expect(await applyPaidCheckout(s.svc, paidFor(second!, booking.totalAmount))).toBe(c.outcome);
    const rows = await s.t.db.select().from(refunds).where(eq(refunds.paymentId, second!.id));
    expect(rows.map((r) => [r.amount, r.currency, r.reason])).toEqual([
      [booking.totalAmount, "EUR", c.reason],
    ]);
    expect((await mails(booking.id)).find((m) => m.key === `late-refund:${second!.id}`)).toEqual({
      kind: "late_payment_refunded",
      key: `late-refund:${second!.id}`,
      data: { amount: booking.totalAmount, currency: "EUR", reason: c.reason },
    });
  });

  it("a paid event replayed after a refund changes nothing: the payment stays refunded, nothing more is refunded", async () => {
    const { booking, payment } = await held(8);
    const paid = paidFor(payment, booking.totalAmount);
    expect(await applyPaidCheckout(s.svc, paid)).toBe("CONFIRMED");
    for (const status of ["PARTIALLY_REFUNDED", "REFUNDED"] as const) {
      // The status a refund leaves on the payment; a replay must not put it back to COMPLETED.
      await s.t.db.update(payments).set({ status }).where(eq(payments.id, payment.id));
      const before = await paymentRow(payment.id);
      const replay = { ...paid, amountTotal: booking.totalAmount + 1 };
      expect(await applyPaidCheckout(at(), replay)).toBe("ALREADY_APPLIED");
      expect(await paymentRow(payment.id)).toEqual(before);
    }
    expect(await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id))).toEqual([]);
    expect((await bookingRow(booking.id)).status).toBe("CONFIRMED");
  });

  it("a wrong amount on a held booking cancels it, frees its places, expires its other sessions; nothing to refund at 0", async () => {
    const { booking, payment, sailing } = await held(4);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    const [other] = await s.t.db
      .insert(payments)
      .values({
        bookingId: booking.id,
        amount: booking.totalAmount,
        currency: "EUR",
        checkoutSessionId: "cs_open",
      })
      .returning();
    expect(await applyPaidCheckout(at(), paidFor(payment, 0))).toBe("REFUNDED_MISMATCH");
    expect(await bookingRow(booking.id)).toMatchObject({
      status: "CANCELLED",
      cancelledAt: AT,
      confirmedAt: null,
    });
    expect(await paymentRow(payment.id)).toMatchObject({
      status: "COMPLETED",
      flag: "AMOUNT_MISMATCH",
      amount: 0,
    });
    expect((await inventoryOf(s.t, sailing.id, "DECK")).held).toBe(before.held - 1);
    expect(await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id))).toEqual([]);
    expect((await mails(booking.id)).map((m) => m.kind)).toEqual(["late_payment_refunded"]);
    expect(await jobKeys(`expire-session:${other!.id}`)).toEqual([
      `expire_checkout_session expire-session:${other!.id}`,
    ]);
    expect(await jobKeys(`hold:${booking.id}`)).toEqual([]);
  });

  it("a wrong currency on an expired booking is refunded and leaves it EXPIRED, places untouched", async () => {
    const { booking, payment, sailing } = await held(5);
    await expireHold(svcAt(s.svc, booking.holdExpiresAt), booking.id);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    expect(await applyPaidCheckout(s.svc, paidFor(payment, booking.totalAmount, { currency: "usd" }))).toBe(
      "REFUNDED_MISMATCH",
    );
    expect(await paymentRow(payment.id)).toMatchObject({ flag: "CURRENCY_MISMATCH", currency: "USD" });
    expect((await bookingRow(booking.id)).status).toBe("EXPIRED");
    expect(await inventoryOf(s.t, sailing.id, "DECK")).toEqual(before);
    const rows = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(rows.map((r) => [r.amount, r.currency, r.reason])).toEqual([
      [booking.totalAmount, "USD", "PAYMENT_AMOUNT_MISMATCH"],
    ]);
  });
});

describe("expireHold", () => {
  it("expires at the hold's last millisecond, not before: places, status, email, session expiry", async () => {
    const { booking, payment, sailing } = await held(6);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    const end = booking.holdExpiresAt.getTime();
    expect(await expireHold(svcAt(s.svc, new Date(end - 1)), booking.id)).toBe(false);
    expect((await bookingRow(booking.id)).status).toBe("PENDING_PAYMENT");
    expect(await expireHold(svcAt(s.svc, new Date(end)), booking.id)).toBe(true);
    expect(await bookingRow(booking.id)).toMatchObject({ status: "EXPIRED", expiredAt: new Date(end) });
    expect((await inventoryOf(s.t, sailing.id, "DECK")).held).toBe(before.held - 1);
    expect((await mails(booking.id)).map((m) => [m.kind, m.key])).toEqual([
      ["hold_expired", `expired:${booking.id}`],
    ]);
    expect(await jobKeys(`expire-session:${payment.id}`)).toHaveLength(1);
    expect(await expireHold(svcAt(s.svc, new Date(end)), booking.id)).toBe(false);
    expect(await expireHold(s.svc, "00000000-0000-4000-8000-000000000000")).toBe(false);
  });

  it("the sweep expires overdue holds up to its limit", async () => {
    const a = await held(7);
    const b = await held(7);
    const later = svcAt(
      s.svc,
      new Date(Math.max(a.booking.holdExpiresAt.getTime(), b.booking.holdExpiresAt.getTime())),
    );
    // Other tests' holds may be overdue too: the limit is what is checked.
    expect(await expireOverdueHolds(later, 1)).toBe(1);
    await expireOverdueHolds(later);
    expect((await bookingRow(a.booking.id)).status).toBe("EXPIRED");
    expect((await bookingRow(b.booking.id)).status).toBe("EXPIRED");
    expect(await expireOverdueHolds(later)).toBe(0);
  });
});
