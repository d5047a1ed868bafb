import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds } from "@/server/db/schema/payments";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { applyPaidCheckout, expireHold } from "@/server/features/booking/lifecycle";
import en from "@/server/features/email/messages/en.json";
import { cancelSailing } from "@/server/features/schedule/cancel-sailing";
import { actorOf, makeAdmin } from "../admin/admin-helpers";
import {
  leaveOnly,
  nextSailing,
  bookingStackForFile,
  holdBooking,
  paidCheckoutOf,
} from "../helpers/booking-stack";
import { gateBookingStatus, installGate, until, waitForLockWait } from "../helpers/pause";
import { svcAt } from "../helpers/services";

const s = bookingStackForFile({ days: 30 }, async () => {
  await s.startWorker();
});

const later = () => svcAt(s.svc, () => new Date(Date.now() + 31 * 60_000));

/** A booking whose traveller paid at the last second, processed only after the hold expired. */
async function paidAfterExpiry(daysAhead: number, i: number) {
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const { booking, payment, email } = await holdBooking(s, sailing.id, i, `late${i}@example.com`);
  s.emulator.pauseWebhooks();
  s.emulator.pay(payment.checkoutSessionId!);
  expect(await expireHold(later(), booking.id)).toBe(true);
  return { booking, payment, sailing, email };
}

const paidOf = (sessionId: string) => paidCheckoutOf(s, sessionId);

const inventoryRows = (sailingId: number) =>
  s.t.db.select().from(inventory).where(eq(inventory.sailingId, sailingId)).orderBy(inventory.resource);
const statusOf = async (id: string) =>
  (await s.t.db.select().from(bookings).where(eq(bookings.id, id)))[0]!.status;
const departIn = (sailingId: number, minutes: number) =>
  s.t.db
    .update(sailings)
    .set({
      departureAt: sql`now() + make_interval(mins => ${minutes})`,
      arrivalAt: sql`now() + make_interval(mins => ${minutes + 600})`,
    })
    .where(eq(sailings.id, sailingId));

/** What the traveller reads: the emulator's copy of the refund email, whitespace folded. */
async function refundEmailText(reference: string): Promise<string> {
  const email = await until(`the refund email for ${reference}`, async () =>
    s.resend.emails().find((e) => e.subject.includes(reference) && e.subject.startsWith("Payment refunded")),
  );
  return (email.text ?? "").replace(/\s+/g, " ");
}

describe("a payment that lands after the hold expired", () => {
  it.each([
    {
      why: "the sailing was cancelled",
      reason: "LATE_PAYMENT_SAILING_CANCELLED",
      days: 4,
      spoil: (id: number) => s.t.db.update(sailings).set({ status: "CANCELLED" }).where(eq(sailings.id, id)),
    },
    {
      why: "the sailing has left",
      reason: "LATE_PAYMENT_DEPARTED",
      days: 5,
      spoil: (id: number) => departIn(id, -60),
    },
    {
      why: "sales have closed",
      reason: "LATE_PAYMENT_SALES_CLOSED",
      days: 6,
      spoil: (id: number) => departIn(id, 30),
    },
    {
      why: "the places were taken",
      reason: "LATE_PAYMENT_NO_CAPACITY",
      days: 7,
      spoil: (id: number) => leaveOnly(s.t, id, "DECK", 0),
    },
  ] as const)(
    "is refunded in full when $why, with an email that says so",
    async ({ reason, days, spoil }) => {
      const i = days;
      const { booking, payment, sailing } = await paidAfterExpiry(days, i);
      await spoil(sailing.id);
      const before = await inventoryRows(sailing.id);
      await s.emulator.resumeWebhooks();

      const refund = await until(`the ${reason} refund to succeed`, async () => {
        const [r] = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
        return r?.status === "SUCCEEDED" ? r : null;
      });
      expect(refund).toMatchObject({ reason, amount: booking.totalAmount, currency: "EUR" });
      expect(await statusOf(booking.id)).toBe("EXPIRED");
      const [p] = await s.t.db.select().from(payments).where(eq(payments.id, payment.id));
      expect(p).toMatchObject({ status: "REFUNDED", amountRefunded: booking.totalAmount, flag: null });
      // Nothing was re-taken, nothing moved.
      expect(await inventoryRows(sailing.id)).toEqual(before);
      // Stripe refunded exactly what was paid, once.
      const atStripe = await s.stripe.refunds.list({ payment_intent: p!.paymentIntentId! });
      expect(atStripe.data.map((r) => r.amount)).toEqual([booking.totalAmount]);

      const outbox = await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, booking.id));
      expect(outbox.map((e) => e.kind).sort()).toEqual([
        "hold_expired",
        "late_payment_refunded",
        "refund_completed",
      ]);
      expect(outbox.find((e) => e.kind === "late_payment_refunded")!.data).toMatchObject({ reason });
      const text = await refundEmailText(booking.reference);
      expect(text).toContain(en.latePaymentRefunded.reason[reason]);
      expect(text).toContain("€");
      expect(text).toContain(booking.reference);
    },
  );

  it("confirms when the sailing is still on sale and the places are free (positive control)", async () => {
    const { booking, payment, sailing } = await paidAfterExpiry(8, 8);
    const before = await inventoryRows(sailing.id);
    await s.emulator.resumeWebhooks();
    await until("the late payment to confirm", async () => (await statusOf(booking.id)) === "CONFIRMED");
    const after = await inventoryRows(sailing.id);
    const deck = (rows: typeof before) => rows.find((r) => r.resource === "DECK")!;
    const pax = (rows: typeof before) => rows.find((r) => r.resource === "PASSENGER")!;
    expect(deck(after).sold).toBe(deck(before).sold + 1);
    expect(pax(after).sold).toBe(pax(before).sold + 1);
    expect(deck(after).held).toBe(deck(before).held);
    expect(await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id))).toEqual([]);
    const [p] = await s.t.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(p).toMatchObject({ status: "COMPLETED", flag: null });
  });
});

describe("a late payment racing an admin cancelling the sailing", () => {
  it("waits for the cancellation, then refunds instead of confirming", async () => {
    const { booking, payment, sailing } = await paidAfterExpiry(9, 9);
    const admin = await makeAdmin(s.svc, "late");
    const before = await inventoryRows(sailing.id);
    // Stop the admin's cancellation after it has locked the sailing, before it commits.
    const gate = await installGate(s.t, {
      table: "sailings",
      event: "UPDATE",
      when: `NEW.id = ${sailing.id} AND NEW.status = 'CANCELLED'`,
    });
    try {
      await gate.close();
      const cancelling = cancelSailing(s.svc, actorOf(admin), { sailingId: sailing.id });
      await gate.waitUntilHeld();
      const paying = applyPaidCheckout(s.svc, await paidOf(payment.checkoutSessionId!));
      // The payment must wait for the sailing's lock instead of reading it as still scheduled.
      await waitForLockWait(s.t, "the late payment to wait for the sailing row", { query: "for share" });
      await gate.open();
      expect(await paying).toBe("LATE_REFUNDED");
      expect(await cancelling).toMatchObject({ status: "CANCELLED", bookingsCancelled: 0 });
    } finally {
      await gate.remove();
      await s.emulator.resumeWebhooks();
    }
    expect(await statusOf(booking.id)).toBe("EXPIRED");
    const rows = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(rows).toEqual([
      expect.objectContaining({ reason: "LATE_PAYMENT_SAILING_CANCELLED", amount: booking.totalAmount }),
    ]);
    expect(await inventoryRows(sailing.id)).toEqual(before);
  });

  it("when the payment locks the sailing first, the cancellation waits and then refunds the booking", async () => {
    const { booking, payment, sailing } = await paidAfterExpiry(10, 10);
    const admin = await makeAdmin(s.svc, "late2");
    const before = await inventoryRows(sailing.id);
    // Stop the payment just before it marks the booking CONFIRMED: it holds the sailing's share lock.
    const gate = await gateBookingStatus(s.t, booking.id, "CONFIRMED");
    let cancelling: ReturnType<typeof cancelSailing> | undefined;
    try {
      await gate.close();
      const paying = applyPaidCheckout(s.svc, await paidOf(payment.checkoutSessionId!));
      await gate.waitUntilHeld();
      cancelling = cancelSailing(s.svc, actorOf(admin), { sailingId: sailing.id });
      await waitForLockWait(s.t, "the cancellation to wait for the sailing row", { query: "for update" });
      await gate.open();
      expect(await paying).toBe("LATE_CONFIRMED");
      expect(await cancelling).toMatchObject({ status: "CANCELLED", bookingsCancelled: 1 });
    } finally {
      await gate.remove();
      await s.emulator.resumeWebhooks();
    }
    // Never a confirmed booking on a cancelled sailing: it was cancelled with it, fully refunded.
    expect(await statusOf(booking.id)).toBe("CANCELLED");
    const rows = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(rows).toEqual([
      expect.objectContaining({ reason: "SAILING_CANCELLED", amount: booking.totalAmount }),
    ]);
    expect(await inventoryRows(sailing.id)).toEqual(before);
  });
});
