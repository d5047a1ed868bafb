import { eq } from "drizzle-orm";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { queueBookingEmail } from "@/server/features/email/outbox";
import { isOperatorError } from "@/server/features/operators/operator-error";
import { refundableFor, requestRefund } from "@/server/features/payments/refunds";
import type { Services } from "@/server/services";
import { invalidateAfterCapacityChange } from "./cache-effects";
import { releaseSold } from "./inventory";
import { connectedLegsOf, setOperatorStatus } from "./operator-legs";
import { releaseOperatorHolds } from "./operator-hold";

export type OperatorConfirmOutcome = "CONFIRMED" | "REFUNDED" | "NOTHING_TO_DO";

/** Thrown to have graphile-worker run the job again later (its backoff): a transient operator error. */
export class RetryOperatorLater extends Error {
  override name = "RetryOperatorLater";
}

/**
 * The `confirm_operator_booking` job, for a paid booking in CONFIRMING: confirms each connected leg at its
 * operator (ConfirmBooking by our agent reference, so a repeat after a lost answer changes nothing), then
 * the booking. CONFIRMED only once every operator has confirmed; then the confirmation email.
 *
 * A refusal (the provisional booking expired, the sailing was cancelled…) or transient errors past `until`
 * end it CANCELLED with a full refund and an email saying so: money is never kept without a ticket. Legs
 * another operator already confirmed are cancelled there by `release_operator_hold`. A transient error
 * before `until` throws `RetryOperatorLater`, and graphile-worker's backoff runs the job again.
 */
export async function confirmOperatorBooking(
  svc: Services,
  bookingId: string,
  until: Date,
): Promise<OperatorConfirmOutcome> {
  const [b] = await svc.db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (b?.status !== "CONFIRMING") return "NOTHING_TO_DO";
  const directory = await svc.operators();
  let refused: string | null = null;
  for (const leg of await connectedLegsOf(svc.db, b)) {
    if (leg.operatorStatus === "confirmed") continue;
    const connector = directory.get(leg.operator);
    try {
      if (!connector) throw new RetryOperatorLater(`operator ${leg.operator} is not active`);
      const answer = await connector.confirm({
        agentReference: leg.agentReference,
        operatorReference: leg.operatorReference,
      });
      if (answer.status !== "CONFIRMED") {
        refused = answer.status;
        break;
      }
      await setOperatorStatus(svc.db, [leg.legId], "confirmed");
    } catch (e) {
      if (isOperatorError(e) && e.kind === "refused") {
        refused = e.code ?? "REFUSED";
        break;
      }
      if (svc.clock.now().getTime() < until.getTime()) {
        svc.log.warn("operator confirmation will be retried", {
          bookingId,
          operator: leg.operator,
          error: e,
        });
        throw new RetryOperatorLater(`${leg.operator} confirm: ${isOperatorError(e) ? e.kind : "error"}`);
      }
      refused = "TIMED_OUT";
      break;
    }
  }
  if (refused) {
    svc.log.warn("operator did not confirm a paid booking: refunding", { bookingId, why: refused });
    return (await refundUnconfirmed(svc, bookingId)) ? "REFUNDED" : "NOTHING_TO_DO";
  }
  let sailingIds: number[] = [];
  const done = await svc.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (locked?.status !== "CONFIRMING") return false;
    const now = svc.clock.now();
    await tx
      .update(bookings)
      .set({ status: "CONFIRMED", confirmedAt: now, updatedAt: now })
      .where(eq(bookings.id, bookingId));
    await queueBookingEmail(tx, locked, {
      kind: "booking_confirmed",
      dedupeKey: `confirmed:${bookingId}`,
    });
    sailingIds = (
      await tx
        .select({ id: bookingLegs.sailingId })
        .from(bookingLegs)
        .where(eq(bookingLegs.bookingId, bookingId))
    ).map((r) => r.id);
    return true;
  });
  if (!done) return "NOTHING_TO_DO";
  await invalidateAfterCapacityChange(svc, sailingIds, { routes: true });
  svc.log.info("booking confirmed by its operators", { bookingId });
  return "CONFIRMED";
}

/**
 * A paid booking its operators did not confirm: CANCELLED, own places released, everything paid refunded,
 * the traveller told why, and whatever the operators still hold for it let go. Under the booking lock, and
 * only from CONFIRMING, so it happens once.
 */
async function refundUnconfirmed(svc: Services, bookingId: string): Promise<boolean> {
  let released: number[] = [];
  const done = await svc.db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (b?.status !== "CONFIRMING") return false;
    const now = svc.clock.now();
    released = await releaseSold(tx, b.id);
    const legs = await connectedLegsOf(tx, b);
    const live = legs.filter((l) => l.operatorStatus === "provisional" || l.operatorStatus === "confirmed");
    await setOperatorStatus(
      tx,
      live.map((l) => l.legId),
      "released",
    );
    // A confirm that timed out may have taken effect, and another operator may have confirmed its leg.
    await releaseOperatorHolds(tx, live);
    const refundable = await refundableFor(tx, b.id, { lock: true });
    if (refundable.paymentId && refundable.amount > 0) {
      await requestRefund(tx, {
        bookingId: b.id,
        paymentId: refundable.paymentId,
        amount: refundable.amount,
        currency: refundable.currency ?? b.currency,
        reason: "OPERATOR_REFUSED",
      });
    }
    await tx
      .update(bookings)
      .set({ status: "CANCELLED", cancelledAt: now, updatedAt: now })
      .where(eq(bookings.id, b.id));
    await queueBookingEmail(tx, b, {
      kind: "late_payment_refunded",
      dedupeKey: `operator-refused:${b.id}`,
      data: {
        ...(refundable.amount > 0 ? { amount: refundable.amount } : {}),
        currency: refundable.currency ?? b.currency,
        reason: "OPERATOR_REFUSED",
      },
    });
    released = [...released, ...legs.map((l) => l.sailingId)];
    return true;
  });
  if (done) await invalidateAfterCapacityChange(svc, released, { routes: true });
  return done;
}
