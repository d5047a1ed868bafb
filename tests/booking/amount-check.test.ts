import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds, stripeEvents } from "@/server/db/schema/payments";
import { createBooking } from "@/server/features/booking/create";
import { processStripeEvent } from "@/server/features/booking/payment-events";
import en from "@/server/features/email/messages/en.json";
import { adminCaller } from "../admin/admin-helpers";
import {
  adult,
  bookingInput,
  inventoryOf,
  nextSailing,
  bookingStackForFile,
  holdBooking,
} from "../helpers/booking-stack";
import { until } from "../helpers/pause";

let api: Awaited<ReturnType<typeof adminCaller>>["caller"];
const s = bookingStackForFile({}, async () => {
  await s.startWorker();
  ({ caller: api } = await adminCaller(s.svc));
});

/**
 * A held booking whose Checkout session then charges something other than the booking's total. The
 * session is created from the booking's price lines, so the booking row is changed after it was created,
 * the way a bug or a tampered session would make the two disagree.
 */
async function mismatched(
  daysAhead: number,
  i: number,
  change: (charged: number) => { totalAmount?: number; currency?: string },
) {
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const before = await inventoryOf(s.t, sailing.id, "DECK");
  const { booking, payment } = await holdBooking(s, sailing.id, i, `amt${i}@example.com`);
  const charged = booking.totalAmount;
  const to = change(charged);
  await s.t.db
    .update(bookings)
    .set({ totalAmount: to.totalAmount ?? charged, currency: to.currency ?? "EUR" })
    .where(eq(bookings.id, booking.id));
  s.emulator.pay(payment.checkoutSessionId!);
  return { booking, payment, sailing, before, charged };
}

async function settled(bookingId: string) {
  return until("the mismatch refund to succeed", async () => {
    const rows = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, bookingId));
    return rows.length > 0 && rows.every((r) => r.status === "SUCCEEDED") ? rows : null;
  });
}

describe("the paid amount and currency must equal the booking's total", () => {
  it.each([
    {
      what: "an amount",
      flag: "AMOUNT_MISMATCH",
      days: 3,
      change: (paid: number) => ({ totalAmount: paid + 500 }),
    },
    { what: "a currency", flag: "CURRENCY_MISMATCH", days: 4, change: () => ({ currency: "USD" }) },
  ] as const)("$what that does not match is refunded in full, flagged, never confirmed", async (c) => {
    const { booking, payment, sailing, before, charged } = await mismatched(c.days, c.days, c.change);
    const rows = await settled(booking.id);
    // What Stripe actually took (in EUR) goes back, once, in full.
    expect(rows).toEqual([
      expect.objectContaining({ amount: charged, currency: "EUR", reason: "PAYMENT_AMOUNT_MISMATCH" }),
    ]);
    const [p] = await s.t.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(p).toMatchObject({ flag: c.flag, amount: charged, currency: "EUR", status: "REFUNDED" });
    const atStripe = await s.stripe.refunds.list({ payment_intent: p!.paymentIntentId! });
    expect(atStripe.data.map((r) => r.amount)).toEqual([charged]);
    // Never confirmed: the booking ends CANCELLED and its held places are free again.
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(b).toMatchObject({ status: "CANCELLED", confirmedAt: null });
    expect(await inventoryOf(s.t, sailing.id, "DECK")).toEqual(before);
    const kinds = (await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, booking.id))).map(
      (e) => e.kind,
    );
    expect(kinds).not.toContain("booking_confirmed");
    expect(kinds).toContain("late_payment_refunded");
    const email = await until("the refund email", async () =>
      s.resend.emails().find((e) => e.subject === `Payment refunded: ${booking.reference}`),
    );
    expect(email.text!.replace(/\s+/g, " ")).toContain(en.latePaymentRefunded.reason.PAYMENT_AMOUNT_MISMATCH);

    // Admins see it in the list (and can filter on it) and on the booking page.
    const list = await api.admin.bookings.search({ q: booking.reference });
    expect(list.items).toEqual([expect.objectContaining({ reference: booking.reference, flag: c.flag })]);
    const flagged = await api.admin.bookings.search({ flagged: true, pageSize: 100 });
    expect(flagged.items.map((x) => x.reference)).toContain(booking.reference);
    const page = await api.admin.bookings.get({ reference: booking.reference });
    expect(page.payments).toEqual([expect.objectContaining({ flag: c.flag, amount: charged })]);
    expect(page.timeline.map((e) => e.type)).toContain("payment.flagged");
    expect(page.refundable.amount).toBe(0);
  });

  it("a matching payment is not flagged, and the flagged filter leaves it out", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 5);
    const r = await createBooking(
      s.svc,
      bookingInput(sailing.id, { passengers: [adult(5)], contact: { email: "amt-ok@example.com" } }),
    );
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
    const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, b!.id));
    s.emulator.pay(p!.checkoutSessionId!);
    await until("the booking to confirm", async () => {
      const [row] = await s.t.db.select().from(bookings).where(eq(bookings.id, b!.id));
      return row?.status === "CONFIRMED";
    });
    const [paid] = await s.t.db.select().from(payments).where(eq(payments.id, p!.id));
    expect(paid).toMatchObject({ flag: null, status: "COMPLETED", amount: r.total.amount, currency: "EUR" });
    const flagged = await api.admin.bookings.search({ flagged: true, pageSize: 100 });
    expect(flagged.items.map((x) => x.reference)).not.toContain(r.reference);
    expect(flagged.items.length).toBeGreaterThanOrEqual(2);
  });

  it("replaying the mismatched payment's event changes nothing", async () => {
    const { booking, payment } = await mismatched(6, 6, () => ({ totalAmount: 1 }));
    await settled(booking.id);
    const events = await until("the stored completed event", async () => {
      const rows = await s.t.db.select().from(stripeEvents);
      const mine = rows.filter(
        (e) =>
          e.type === "checkout.session.completed" &&
          (e.payload as { data: { object: { id: string } } }).data.object.id === payment.checkoutSessionId,
      );
      return mine.length > 0 ? mine : null;
    });
    await s.t.db.update(stripeEvents).set({ processedAt: null }).where(eq(stripeEvents.id, events[0]!.id));
    await processStripeEvent(s.svc, events[0]!.id);
    expect(await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id))).toHaveLength(1);
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(b!.status).toBe("CANCELLED");
  });
});
