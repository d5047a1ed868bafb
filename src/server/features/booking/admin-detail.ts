import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { loadBooking } from "@/server/db/queries/booking";
import { bookings } from "@/server/db/schema/bookings";
import { refundableOf } from "@/server/features/payments/refunds";
import { AppError } from "@/server/lib/errors";
import { bookingReferenceInput } from "@/server/lib/reference";
import type { Services } from "@/server/services";
import { previewOf } from "./cancel";
import { travellerView } from "./view";

export const bookingRefInput = z.object({ reference: bookingReferenceInput });

export async function bookingIdByReference(db: DbOrTx, ref: string): Promise<string> {
  const [b] = await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.reference, ref));
  if (!b) throw new AppError("NOT_FOUND", `There is no booking ${ref}.`);
  return b.id;
}

export interface TimelineEvent {
  at: Date;
  /** e.g. `booking.created`, `payment.COMPLETED`, `refund.requested`, `email.sent`, `admin.bookings.cancel`. */
  type: string;
  summary: string;
}

/**
 * Everything the admin booking page shows: the traveller's view plus payments and refunds with their
 * Stripe ids, the emails, the audit entries, the cancellation preview and one timeline of all of it.
 * Passport numbers are not included: admins see whether one was given, not the number.
 */
export async function getAdminBooking(svc: Services, input: z.infer<typeof bookingRefInput>) {
  // One read: everything below is worked out from it.
  const booking = await loadBooking(svc.db, { reference: input.reference }, "admin");
  if (!booking) throw new AppError("NOT_FOUND", `There is no booking ${input.reference}.`);
  const { payments: pays, emails, audit: audits } = booking;
  const refs = booking.refunds.map(({ createdByAdmin, ...refund }) => ({
    refund,
    createdByEmail: createdByAdmin?.email ?? null,
  }));
  const refundable = refundableOf(pays, booking.refunds);
  if (booking.legs.length === 0) throw new AppError("NOT_FOUND", `Booking ${input.reference} has no legs.`);
  const first = booking.legs.reduce((a, l) => (l.departureAt < a.departureAt ? l : a));
  const preview = previewOf(
    booking,
    { departureAt: first.departureAt, policy: first.refundPolicy },
    refundable,
    svc.clock.now(),
  );

  const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;
  const timeline: TimelineEvent[] = [
    { at: booking.createdAt, type: "booking.created", summary: "Booking created, places held" },
  ];
  if (booking.confirmedAt)
    timeline.push({ at: booking.confirmedAt, type: "booking.confirmed", summary: "Paid and confirmed" });
  if (booking.expiredAt)
    timeline.push({ at: booking.expiredAt, type: "booking.expired", summary: "Hold expired unpaid" });
  if (booking.cancelledAt)
    timeline.push({ at: booking.cancelledAt, type: "booking.cancelled", summary: "Cancelled" });
  for (const p of pays) {
    timeline.push({
      at: p.createdAt,
      type: "payment.created",
      summary: `Checkout opened for ${money(p.amount, p.currency)}`,
    });
    if (p.status !== "PENDING") {
      timeline.push({
        at: p.updatedAt,
        type: `payment.${p.status}`,
        summary: `Payment ${p.status.toLowerCase().replace("_", " ")}${p.failureMessage ? `: ${p.failureMessage}` : ""}`,
      });
    }
    if (p.flag) {
      timeline.push({
        at: p.updatedAt,
        type: "payment.flagged",
        summary: `Payment flagged (${p.flag.toLowerCase().replace("_", " ")}): paid ${money(p.amount, p.currency)}, booking total ${money(booking.totalAmount, booking.currency)}; refunded automatically`,
      });
    }
  }
  for (const { refund: r, createdByEmail } of refs) {
    timeline.push({
      at: r.createdAt,
      type: "refund.requested",
      summary: `Refund of ${money(r.amount, r.currency)} requested (${r.reason})${createdByEmail ? ` by ${createdByEmail}` : ""}`,
    });
    if (r.status !== "PENDING") {
      timeline.push({
        at: r.updatedAt,
        type: `refund.${r.status}`,
        summary: `Refund ${r.status.toLowerCase()}${r.failureReason ? `: ${r.failureReason}` : ""}`,
      });
    }
  }
  for (const e of emails) {
    timeline.push({ at: e.createdAt, type: "email.queued", summary: `Email ${e.kind} queued` });
    if (e.status === "SENT" && e.sentAt)
      timeline.push({ at: e.sentAt, type: "email.sent", summary: `Email ${e.kind} sent` });
    if (e.status === "FAILED") {
      timeline.push({
        at: e.updatedAt,
        type: "email.failed",
        summary: `Email ${e.kind} failed${e.lastError ? `: ${e.lastError}` : ""}`,
      });
    }
  }
  for (const a of audits) {
    timeline.push({
      at: a.at,
      type: `admin.${a.action}`,
      summary: `${a.action} by ${a.adminEmail ?? "a deleted admin"}`,
    });
  }
  timeline.sort((x, y) => x.at.getTime() - y.at.getTime());

  return {
    ...travellerView(booking),
    id: booking.id,
    contactPhone: booking.contactPhone,
    expiredAt: booking.expiredAt,
    passengers: booking.passengers,
    payments: pays.map((p) => ({
      id: p.id,
      status: p.status,
      amount: p.amount,
      amountRefunded: p.amountRefunded,
      currency: p.currency,
      checkoutSessionId: p.checkoutSessionId,
      paymentIntentId: p.paymentIntentId,
      failureMessage: p.failureMessage,
      flag: p.flag,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    })),
    refunds: refs.map(({ refund: r, createdByEmail }) => ({
      id: r.id,
      status: r.status,
      amount: r.amount,
      currency: r.currency,
      reason: r.reason,
      stripeRefundId: r.stripeRefundId,
      failureReason: r.failureReason,
      createdBy: createdByEmail,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })),
    emails,
    audit: audits,
    /** What "cancel with the policy" would refund now, and the most an override or refund may be. */
    cancelPreview: { ...preview, maxRefund: refundable.amount },
    refundable,
    timeline,
  };
}

export type AdminBookingView = Awaited<ReturnType<typeof getAdminBooking>>;
