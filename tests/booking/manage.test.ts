import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { payments, refunds } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { cancelBooking, refundPreview } from "@/server/features/booking/cancel";
import { createBooking } from "@/server/features/booking/create";
import { expireHold, expireOverdueHolds } from "@/server/features/booking/lifecycle";
import { viewForTraveller } from "@/server/features/booking/manage";
import { executeRefund } from "@/server/features/payments/refunds";
import { AppError } from "@/server/lib/errors";
import {
  bookingInput,
  inventoryOf,
  leaveOnly,
  nextSailing,
  bookingStackForFile,
  waitFor,
  holdBooking,
  payAndApply,
} from "../helpers/booking-stack";
import { svcAt, withLoads, withOverrides } from "../helpers/services";

const s = bookingStackForFile();

/** A confirmed booking, paid through the Stripe emulator, with the webhook applied directly. */
async function confirmed(daysAhead: number, i: number) {
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const { booking, payment, reference, email } = await holdBooking(s, sailing.id, i, `m${i}@example.com`);
  await payAndApply(s, payment);
  return { booking, sailing, reference, email };
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
    const sailing = await nextSailing(s.t, "TUN", "MRS", 3);
    await leaveOnly(s.t, sailing.id, "SEAT", 1);
    const input = bookingInput(sailing.id, { outbound: { sailingId: sailing.id, accommodation: "SEAT" } });
    const first = await createBooking(s.svc, input);
    await expect(createBooking(s.svc, input)).rejects.toMatchObject({ code: "CONFLICT" });
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, first.reference));
    // Not yet: the hold has 30 minutes to run.
    expect(await expireHold(s.svc, b!.id)).toBe(false);
    const later = svcAt(s.svc, () => new Date(Date.now() + 31 * 60_000));
    expect(await expireOverdueHolds(later)).toBeGreaterThanOrEqual(1);
    expect(await expireHold(later, b!.id)).toBe(false); // idempotent
    const seat = await inventoryOf(s.t, sailing.id, "SEAT");
    expect(seat.held + seat.sold).toBe(seat.capacity - 1);
    const again = await createBooking(s.svc, input);
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
    const preview = await refundPreview(s.svc, booking.id);
    expect(preview.band).toBe(band);
    expect(preview.refund.amount).toBe((booking.totalAmount * percent) / 100);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    const res = await cancelBooking(s.svc, booking.id);
    expect(res.refund.amount).toBe(preview.refund.amount);
    const after = await inventoryOf(s.t, sailing.id, "DECK");
    expect(after.sold).toBe(before.sold - 1);
    const rows = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(rows).toHaveLength(percent ? 1 : 0);
    await expect(cancelBooking(s.svc, booking.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("cannot cancel after departure", async () => {
    const { booking, sailing } = await confirmed(4, 200);
    await departIn(sailing.id, -1);
    expect((await refundPreview(s.svc, booking.id)).cancellable).toBe(false);
    await expect(cancelBooking(s.svc, booking.id)).rejects.toThrow(/already left/);
  });

  it("the refund job is idempotent under retry: one Stripe refund, SUCCEEDED", async () => {
    const { booking, sailing } = await confirmed(5, 300);
    await departIn(sailing.id, 30 * 24);
    await cancelBooking(s.svc, booking.id);
    const [r] = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    // Crash after Stripe accepted the refund but before we stored it: run the job three times.
    await executeRefund(s.svc, r!.id);
    // Roll our side back to "never heard from Stripe", as if the process died right after the call.
    await s.t.db
      .update(refunds)
      .set({ status: "PENDING", stripeRefundId: null })
      .where(eq(refunds.id, r!.id));
    await s.t.db
      .update(payments)
      .set({ status: "COMPLETED", amountRefunded: 0 })
      .where(eq(payments.bookingId, booking.id));
    await executeRefund(s.svc, r!.id);
    await executeRefund(s.svc, r!.id);
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
    await cancelBooking(s.svc, booking.id);
    const [r] = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id));
    s.emulator.failNextRefunds(1);
    await executeRefund(s.svc, r!.id);
    const refund = (await s.stripe.refunds.list({ limit: 1 })).data[0]!;
    expect(refund.status).toBe("pending");
    // The emulator moves it to failed shortly after; the refund.failed event reconciles it.
    const failed = await waitFor(
      () => s.stripe.refunds.retrieve(refund.id),
      (r) => r.status === "failed",
      15_000,
      `Stripe to report refund ${refund.id} failed`,
    );
    const { applyStripeRefund } = await import("@/server/features/payments/refunds");
    await applyStripeRefund(s.svc, failed);
    const [done] = await s.t.db.select().from(refunds).where(eq(refunds.id, r!.id));
    expect(done!.status).toBe("FAILED");
  });
});

describe("booking.get", () => {
  it("a wrong email is indistinguishable from an unknown reference", async () => {
    const { reference, email } = await confirmed(7, 500);
    const client = { ip: "10.9.8.7" };
    const view = await viewForTraveller(
      s.svc,
      { reference: reference.toLowerCase(), email: email.toUpperCase() },
      client,
    );
    expect(view.reference).toBe(reference);
    expect(view.passengers[0]).not.toHaveProperty("documentNumber");
    const wrongEmail = await viewForTraveller(s.svc, { reference, email: "someone@else.com" }, client).catch(
      (e) => e,
    );
    const unknownRef = await viewForTraveller(s.svc, { reference: "TRV-ZZZZZZZZ", email }, client).catch(
      (e) => e,
    );
    expect(wrongEmail).toBeInstanceOf(AppError);
    expect(unknownRef).toBeInstanceOf(AppError);
    expect([wrongEmail.code, wrongEmail.message, wrongEmail.details]).toEqual([
      unknownRef.code,
      unknownRef.message,
      unknownRef.details,
    ]);
  });

  it("is rate limited per client", async () => {
    const client = { ip: "10.1.1.1" };
    const results = await Promise.allSettled(
      Array.from({ length: 35 }, () =>
        viewForTraveller(s.svc, { reference: "TRV-ZZZZZZZZ", email: "x@y.z" }, client),
      ),
    );
    const limited = results.filter(
      (r) => r.status === "rejected" && (r.reason as AppError).code === "TOO_MANY_REQUESTS",
    );
    expect(limited.length).toBe(5);
  });
});

describe("search stays fresh through the booking lifecycle", () => {
  it("a hold, a confirmation and a cancellation each show in the next search at once", async () => {
    const { searchSailings } = await import("@/server/features/search/sailings");
    const { searchSailingsInput } = await import("@/server/features/search/input");
    const { localDate } = await import("@/shared/dates");
    const sailing = await nextSailing(s.t, "TUN", "MRS", 8);
    const q = searchSailingsInput.parse({
      from: "TUN",
      to: "MRS",
      date: localDate(sailing.departureAt, "Africa/Tunis"),
      passengers: { adults: 1 },
    });
    /** Outside cabins left, and which Postgres loads the search needed (none when the cache answered). */
    const outside = async () => {
      const { result: res, loads: seen } = await withLoads(s.tc.cache, () =>
        searchSailings(withOverrides(s.svc, { cache: s.tc.cache }), q),
      );
      const loads = seen.map((l) => l.split(":")[0]);
      const left = res.sailings
        .find((x) => x.id === sailing.id)!
        .options.find((o) => o.accommodation === "CABIN_OUTSIDE")!.remaining;
      return { left, schedule: loads.includes("schedule"), availability: loads.includes("availability") };
    };
    const before = (await outside()).left;
    expect(await outside()).toEqual({ left: before, schedule: false, availability: false }); // now cached
    const r = await createBooking(
      s.svc,
      bookingInput(sailing.id, {
        outbound: { sailingId: sailing.id, accommodation: "CABIN_OUTSIDE" },
        contact: { email: "fresh@example.com" },
      }),
    );
    // The hold: availability reloaded, the schedule still cached.
    expect(await outside()).toEqual({ left: before - 1, schedule: false, availability: true });
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
    const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, b!.id));
    await payAndApply(s, p!);
    // Confirmed: held became sold (same count), and both entries were invalidated.
    expect(await outside()).toEqual({ left: before - 1, schedule: true, availability: true });
    await cancelBooking(s.svc, b!.id);
    expect(await outside()).toEqual({ left: before, schedule: true, availability: true }); // released
  });
});
