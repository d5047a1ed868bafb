import { eq } from "drizzle-orm";
import { z } from "zod";
import { bookings } from "@/server/db/schema/bookings";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { AppError } from "@/server/lib/errors";
import { minorUnitsInput } from "@/server/lib/inputs";
import { bookingReferenceInput } from "@/server/lib/reference";
import type { Services } from "@/server/services";
import { refundableFor, requestRefund } from "./refunds";

export const adminRefundInput = z.object({
  reference: bookingReferenceInput,
  /** Omit for everything still refundable; otherwise a partial refund in minor units. */
  amount: minorUnitsInput("refund").min(1, "A refund must be at least 1 cent.").optional(),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
});

/**
 * A full or partial refund of a paid booking without cancelling it (a goodwill gesture, a downgraded
 * cabin …), or a further refund after a cancellation that refunded less. Decided under the booking's lock,
 * then its payment's (the order every money path takes), net of refunds already in flight. Stripe is
 * called by the create_refund job; the traveller's refund email goes when Stripe confirms.
 */
export async function adminRefundBooking(
  svc: Services,
  actor: Actor,
  input: z.infer<typeof adminRefundInput>,
) {
  return svc.db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.reference, input.reference)).for("update");
    if (!b) throw new AppError("NOT_FOUND", `There is no booking ${input.reference}.`);
    if (b.status !== "CONFIRMED" && b.status !== "CANCELLED") {
      throw new AppError("CONFLICT", "Only a paid booking can be refunded; this one was never paid.");
    }
    const refundable = await refundableFor(tx, b.id, { lock: true });
    if (!refundable.paymentId || refundable.amount <= 0) {
      throw new AppError("CONFLICT", "Nothing is left to refund on this booking.", { maxRefund: 0 });
    }
    const amount = input.amount ?? refundable.amount;
    if (amount > refundable.amount) {
      throw new AppError(
        "BAD_REQUEST",
        `The refund cannot be more than the ${(refundable.amount / 100).toFixed(2)} ${refundable.currency} still refundable.`,
        { maxRefund: refundable.amount },
      );
    }
    const refundId = await requestRefund(tx, {
      bookingId: b.id,
      paymentId: refundable.paymentId,
      amount,
      currency: refundable.currency ?? b.currency,
      reason: "ADMIN_REFUND",
      createdBy: actor.userId,
    });
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "bookings.refund",
      entity: "booking",
      entityId: b.id,
      before: { refundable: refundable.amount },
      after: {
        refundId,
        amount,
        currency: refundable.currency,
        full: amount === refundable.amount,
        note: input.note ?? null,
      },
    });
    return { refundId, amount, currency: refundable.currency ?? b.currency, status: "PENDING" as const };
  });
}
