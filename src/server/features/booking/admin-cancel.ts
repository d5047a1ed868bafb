import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { AppError } from "@/server/lib/errors";
import { minorUnitsInput } from "@/server/lib/inputs";
import { bookingReferenceInput } from "@/server/lib/reference";
import type { Services } from "@/server/services";
import { bookingIdByReference } from "./admin-detail";
import { invalidateAfterCapacityChange } from "./cache-effects";
import { type CancelResult, cancelLockedBooking, type RefundRule } from "./cancel";
import { cancelAtOperators } from "./operator-cancel";

export const adminCancelInput = z.object({
  reference: bookingReferenceInput,
  /** Omit to refund what the fare's policy says; give an amount (minor units) to override it. */
  refundAmount: minorUnitsInput("refund").optional(),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
});

async function legSailingIds(db: DbOrTx, bookingId: string): Promise<number[]> {
  const rows = await db
    .select({ id: bookingLegs.sailingId })
    .from(bookingLegs)
    .where(eq(bookingLegs.bookingId, bookingId));
  return rows.map((r) => r.id);
}

/**
 * Cancels a booking as an admin, through the same `cancelLockedBooking` travellers' cancellations run
 * (places released, refund row + create_refund job, cancellation email), with the audit row in the same
 * transaction. The refund is worked out under the booking and payment locks, net of refunds in flight.
 * Returns null when the booking was already cancelled or expired and `skipInactive` is set (sailing
 * cancellation re-runs).
 */
export async function cancelBookingAsAdmin(
  svc: Services,
  actor: Actor,
  bookingId: string,
  opts: {
    refund: RefundRule;
    reason: "ADMIN_CANCELLATION" | "SAILING_CANCELLED";
    note?: string;
    skipInactive?: boolean;
  },
): Promise<CancelResult | null> {
  const operators = await cancelAtOperators(svc, bookingId);
  const result = await svc.db.transaction(async (tx) => {
    // Locked first, so a concurrent admin refund or a second sailing cancellation waits for us.
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (!b) throw new AppError("NOT_FOUND", "This booking does not exist.");
    if ((b.status === "CANCELLED" || b.status === "EXPIRED") && opts.skipInactive) return null;
    const { result: r } = await cancelLockedBooking(svc, tx, b, {
      refund: opts.refund,
      adminUserId: actor.userId,
      reason: opts.reason,
      operators,
    });
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: opts.reason === "SAILING_CANCELLED" ? "schedule.cancelSailing.booking" : "bookings.cancel",
      entity: "booking",
      entityId: bookingId,
      before: { status: b.status },
      after: { status: r.status, refund: r.refund, refundRule: opts.refund.kind, note: opts.note ?? null },
    });
    return r;
  });
  if (result) {
    // Only now is the change visible: invalidated earlier, a search in between could cache the old numbers.
    await invalidateAfterCapacityChange(svc, await legSailingIds(svc.db, bookingId), { routes: true });
    svc.log.info("booking cancelled", { bookingId, refund: result.refund.amount, byAdmin: true });
  }
  return result;
}

/** An admin's cancellation from the booking page: the fare's policy, or the amount the admin gives. */
export async function adminCancelBooking(
  svc: Services,
  actor: Actor,
  input: z.infer<typeof adminCancelInput>,
) {
  const id = await bookingIdByReference(svc.db, input.reference);
  const r = await cancelBookingAsAdmin(svc, actor, id, {
    refund:
      input.refundAmount === undefined ? { kind: "POLICY" } : { kind: "AMOUNT", amount: input.refundAmount },
    reason: "ADMIN_CANCELLATION",
    note: input.note,
  });
  return r!;
}
