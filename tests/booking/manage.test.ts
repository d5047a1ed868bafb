import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookings } from "../../src/server/db/schema/bookings";
import { payments, refunds } from "../../src/server/db/schema/payments";
import { sailings } from "../../src/server/db/schema/sailings";
import { cancelBooking, refundPreview } from "../../src/server/features/booking/cancel";
import { createBooking } from "../../src/server/features/booking/create";
import {
  applyPaidCheckout,
  expireHold,
  expireOverdueHolds,
} from "../../src/server/features/booking/lifecycle";
import { viewForTraveller } from "../../src/server/features/booking/manage";
import { executeRefund } from "../../src/server/features/payments/refunds";
import { AppError } from "../../src/server/lib/errors";
import {
  adult,
  type BookingStack,
  bookingInput,
  createBookingStack,
  inventoryOf,
  leaveOnly,
  nextSailing,
  waitFor,
} from "../helpers/booking-stack";

let s: BookingStack;
beforeAll(async () => {
  s = await createBookingStack();
});
afterAll(() => s.close());

/** A confirmed booking, paid through the Stripe emulator, with the webhook applied directly. */
async function confirmed(daysAhead: number, i: number) {
  const sailing = await nextSailing(s.t, "TUN", "PMO", daysAhead);
  const r = await createBooking(
    s.deps,
    bookingInput(sailing.id, { passengers: [adult(i)], contact: { email: `m${i}@example.com` } }),
  );
  const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
  const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, b!.id));
  const paid = s.emulator.pay(p!.checkoutSessionId!) as { session?: { payment_intent?: string } };
  const session = await s.stripe.checkout.sessions.retrieve(p!.checkoutSessionId!);
  await applyPaidCheckout(s.deps, {
    sessionId: session.id,
    paymentIntentId: session.payment_intent as string,
    amountTotal: session.amount_total!,
    currency: session.currency!,
    metadata: session.metadata as Record<string, string>,
  });
  void paid;
  return { booking: b!, sailing, reference: r.reference, email: `m${i}@example.com` };
}

async function departIn(sailingId: number, hours: number) {
  await s.t.db
    .update(sailings)
    .set({
      departureAt: sql`now() + make_interval(hours => ${hours})`,
      arrivalAt: sql`now() + make_interval(hours => ${hours + 10})`,
    })
    .where(eq(sailings.id, sailingId));
}

describe("expiry", () => {
  it("releases the places and the sailing becomes bookable again", async () => {
    const sailing = await nextSailing(s.t, "TUN", "GOA", 3);
    await leaveOnly(s.t, sailing.id, "SEAT", 1);
    const input = bookingInput(sailing.id, { outbound: { sailingId: sailing.id, accommodation: "SEAT" } });
    const first = await createBooking(s.deps, input);
    await expect(createBooking(s.deps, input)).rejects.toMatchObject({ code: "CONFLICT" });
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, first.reference));
    // Not yet: the hold has 30 minutes to run.
    expect(await expireHold(s.deps, b!.id)).toBe(false);
    const later = { ...s.deps, now: () => new Date(Date.now() + 31 * 60_000) };
    expect(await expireOverdueHolds(later)).toBeGreaterThanOrEqual(1);
    expect(await expireHold(later, b!.id)).toBe(false); // idempotent
    const seat = await inventoryOf(s.t, sailing.id, "SEAT");
    expect(seat.held + seat.sold).toBe(seat.capacity - 1);
    const again = await createBooking(s.deps, input);
    expect(again.status).toBe("PENDING_PAYMENT");
  });
});

describe("cancel and refund", () => {
  it.each([
    [10 * 24, "FULL", 100],
    [4 * 24, "HALF", 50],
    [24, "NONE", 0],
  ] as const)("departure in %s h → %s band, %s percent refunded", async (hours, band, percent) => {
    const { booking, sailing } = await confirmed(3, 100 + hours);
    await departIn(sailing.id, hours);
    const preview = await refundPreview(s.deps, booking.id);
    expect(preview.band).toBe(band);
    expect(preview.refund.amount).toBe((booking.totalAmount * percent) / 100);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    const res = await cancelBooking(s.deps, booking.id);
    expect(res.refund.amount).toBe(preview.refund.amount);
    const after = await inventoryOf(s.t, sailing.id, "DECK");
    expect(after.sold).toBe(before.sold - 1);
    const rows = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(rows).toHaveLength(percent ? 1 : 0);
    await expect(cancelBooking(s.deps, booking.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("cannot cancel after departure", async () => {
    const { booking, sailing } = await confirmed(4, 200);
    await departIn(sailing.id, -1);
    expect((await refundPreview(s.deps, booking.id)).cancellable).toBe(false);
    await expect(cancelBooking(s.deps, booking.id)).rejects.toThrow(/already left/);
  });

  it("the refund job is idempotent under retry: one Stripe refund, SUCCEEDED", async () => {
    const { booking, sailing } = await confirmed(5, 300);
    await departIn(sailing.id, 30 * 24);
    await cancelBooking(s.deps, booking.id);
    const [r] = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    // Crash after Stripe accepted the refund but before we stored it: run the job three times.
    await executeRefund({ db: s.t.db, stripe: s.stripe }, r!.id);
    // Roll our side back to "never heard from Stripe", as if the process died right after the call.
    await s.t.db
      .update(refunds)
      .set({ status: "PENDING", stripeRefundId: null })
      .where(eq(refunds.id, r!.id));
    await s.t.db
      .update(payments)
      .set({ status: "COMPLETED", amountRefunded: 0 })
      .where(eq(payments.bookingId, booking.id));
    await executeRefund({ db: s.t.db, stripe: s.stripe }, r!.id);
    await executeRefund({ db: s.t.db, stripe: s.stripe }, r!.id);
    const [pay] = await s.t.db.select().from(payments).where(eq(payments.bookingId, booking.id));
    const list = await s.stripe.refunds.list({ payment_intent: pay!.paymentIntentId! });
    expect(list.data).toHaveLength(1);
    const [done] = await s.t.db.select().from(refunds).where(eq(refunds.id, r!.id));
    expect(done!.status).toBe("SUCCEEDED");
    expect(done!.stripeRefundId).toBe(list.data[0]!.id);
  });

  it("a refund Stripe fails is marked FAILED", async () => {
    const { booking, sailing } = await confirmed(6, 400);
    await departIn(sailing.id, 30 * 24);
    await cancelBooking(s.deps, booking.id);
    const [r] = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    s.emulator.failNextRefunds(1);
    await executeRefund({ db: s.t.db, stripe: s.stripe }, r!.id);
    const refund = (await s.stripe.refunds.list({ limit: 1 })).data[0]!;
    expect(refund.status).toBe("pending");
    // The emulator moves it to failed shortly after; the refund.failed event reconciles it.
    const failed = await waitFor(
      () => s.stripe.refunds.retrieve(refund.id),
      (r) => r.status === "failed",
      15_000,
      `Stripe to report refund ${refund.id} failed`,
    );
    const { applyStripeRefund } = await import("../../src/server/features/payments/refunds");
    await applyStripeRefund(s.t.db, failed);
    const [done] = await s.t.db.select().from(refunds).where(eq(refunds.id, r!.id));
    expect(done!.status).toBe("FAILED");
  });
});

describe("booking.get", () => {
  it("a wrong email is indistinguishable from an unknown reference", async () => {
    const { reference, email } = await confirmed(7, 500);
    const deps = { ...s.deps, ip: "10.9.8.7" };
    const view = await viewForTraveller(deps, {
      reference: reference.toLowerCase(),
      email: email.toUpperCase(),
    });
    expect(view.reference).toBe(reference);
    expect(view.passengers[0]).not.toHaveProperty("documentNumber");
    const wrongEmail = await viewForTraveller(deps, { reference, email: "someone@else.com" }).catch((e) => e);
    const unknownRef = await viewForTraveller(deps, { reference: "TRV-ZZZZZZZZ", email }).catch((e) => e);
    expect(wrongEmail).toBeInstanceOf(AppError);
    expect(unknownRef).toBeInstanceOf(AppError);
    expect([wrongEmail.code, wrongEmail.message, wrongEmail.details]).toEqual([
      unknownRef.code,
      unknownRef.message,
      unknownRef.details,
    ]);
  });

  it("is rate limited per client", async () => {
    const deps = { ...s.deps, ip: "10.1.1.1" };
    const results = await Promise.allSettled(
      Array.from({ length: 35 }, () => viewForTraveller(deps, { reference: "TRV-ZZZZZZZZ", email: "x@y.z" })),
    );
    const limited = results.filter(
      (r) => r.status === "rejected" && (r.reason as AppError).code === "TOO_MANY_REQUESTS",
    );
    expect(limited.length).toBe(5);
  });
});

describe("search stays fresh through the booking lifecycle", () => {
  it("a hold, a confirmation and a cancellation each show in the next search at once", async () => {
    const { searchSailings } = await import("../../src/server/features/search/sailings");
    const { searchSailingsInput } = await import("../../src/server/features/search/input");
    const { localDate } = await import("../../src/server/lib/time");
    const sailing = await nextSailing(s.t, "TUN", "CIV", 8);
    const q = searchSailingsInput.parse({
      from: "TUN",
      to: "CIV",
      date: localDate(sailing.departureAt, "Africa/Tunis"),
      passengers: { adults: 1 },
    });
    /** Outside cabins left, and which Postgres loads the search needed (none when the cache answered). */
    const outside = async () => {
      const loads: string[] = [];
      const res = await searchSailings(
        { db: s.t.db, cache: s.tc.cache, onLoad: (kind) => loads.push(kind) },
        q,
      );
      const left = res.sailings
        .find((x) => x.id === sailing.id)!
        .options.find((o) => o.accommodation === "CABIN_OUTSIDE")!.remaining;
      return { left, schedule: loads.includes("schedule"), availability: loads.includes("availability") };
    };
    const before = (await outside()).left;
    expect(await outside()).toEqual({ left: before, schedule: false, availability: false }); // now cached
    const r = await createBooking(
      s.deps,
      bookingInput(sailing.id, {
        outbound: { sailingId: sailing.id, accommodation: "CABIN_OUTSIDE" },
        contact: { email: "fresh@example.com" },
      }),
    );
    // The hold: availability reloaded, the schedule still cached.
    expect(await outside()).toEqual({ left: before - 1, schedule: false, availability: true });
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
    const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, b!.id));
    s.emulator.pay(p!.checkoutSessionId!);
    const session = await s.stripe.checkout.sessions.retrieve(p!.checkoutSessionId!);
    await applyPaidCheckout(s.deps, {
      sessionId: session.id,
      paymentIntentId: session.payment_intent as string,
      amountTotal: session.amount_total!,
      currency: session.currency!,
      metadata: session.metadata as Record<string, string>,
    });
    // Confirmed: held became sold (same count), and both entries were invalidated.
    expect(await outside()).toEqual({ left: before - 1, schedule: true, availability: true });
    await cancelBooking(s.deps, b!.id);
    expect(await outside()).toEqual({ left: before, schedule: true, availability: true }); // released
  });
});
