import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/server/db/client";
import { type BookingStatus, bookingLegs, bookings } from "@/server/db/schema/bookings";
import { type RefundPolicy, routes } from "@/server/db/schema/network";
import { payments } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { queueBookingEmail } from "@/server/features/email/outbox";
import { type Refundable, refundableFor, requestRefund } from "@/server/features/payments/refunds";
import { AppError } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import { metrics } from "@/server/lib/metrics";
import type { Services } from "@/server/services";
import { invalidateAfterCapacityChange } from "./cache-effects";
import { releaseHeld, releaseSold } from "./inventory";
import { cancelAtOperators, type OperatorCancellation, operatorChargePreview } from "./operator-cancel";
import { releaseOperatorHolds } from "./operator-hold";
import { connectedLegsOf, releaseConnectedLegs, setOperatorStatus } from "./operator-legs";
import { POLICY_TEXT, type PolicyBand, refundFor } from "./policy";
import { legSailing, sailingRoute } from "@/server/db/queries/joins";

export interface RefundPreview {
  cancellable: boolean;
  /** Why not, when not cancellable. */
  reason: string | null;
  band: PolicyBand | null;
  percent: number;
  refund: { amount: number; currency: string };
  paid: { amount: number; currency: string };
  policy: string;
}

/** The first leg's departure and its route's refund policy: the policy is measured from it. */
async function firstLeg(db: DbOrTx, bookingId: string) {
  const [first] = await db
    .select({ departureAt: sailings.departureAt, policy: routes.refundPolicy })
    .from(bookingLegs)
    .innerJoin(sailings, legSailing)
    .innerJoin(routes, sailingRoute)
    .where(eq(bookingLegs.bookingId, bookingId))
    .orderBy(asc(sailings.departureAt))
    .limit(1);
  if (!first) throw new AppError("NOT_FOUND", "We found no booking with this reference and email.");
  return first;
}

/**
 * What cancelling now would refund, under the route's stated policy (shown before confirming). Only a
 * preview: `cancelBooking` computes the amount again under the booking's lock.
 */
export async function refundPreview(svc: Services, bookingId: string): Promise<RefundPreview> {
  const now = svc.clock.now();
  const [b] = await svc.db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (!b) throw new AppError("NOT_FOUND", "We found no booking with this reference and email.");
  const [first, refundable] = await Promise.all([
    firstLeg(svc.db, bookingId),
    refundableFor(svc.db, bookingId),
  ]);
  // A connected operator's charge comes off what was paid; Traverse's policy applies when stricter.
  const charge = b.status === "CONFIRMED" ? await operatorChargePreview(svc, bookingId) : 0;
  return previewOf(b, first, refundable, now, charge);
}

/**
 * `refundPreview` from what the caller has read already: the booking, its first leg, what is refundable,
 * and the operator's cancel charge when the booking has connected legs (the admin page passes none: it
 * shows Traverse's policy without calling operators).
 */
export function previewOf(
  b: { status: BookingStatus; currency: string },
  first: { departureAt: Date; policy: RefundPolicy },
  refundable: Refundable,
  now: Date,
  operatorCharge = 0,
): RefundPreview {
  const policy = refundFor(first.policy, first.departureAt, now, refundable.amount);
  const q = { ...policy, amount: Math.min(policy.amount, Math.max(0, refundable.amount - operatorCharge)) };
  const reason =
    b.status === "CANCELLED" || b.status === "EXPIRED"
      ? `This booking is already ${b.status.toLowerCase()}.`
      : q.band === "DEPARTED"
        ? "The sailing has already left, so the booking can no longer be cancelled."
        : null;
  return {
    cancellable: reason === null,
    reason,
    band: q.band,
    percent: b.status === "PENDING_PAYMENT" ? 0 : q.percent,
    refund: { amount: b.status === "CONFIRMED" ? q.amount : 0, currency: b.currency },
    paid: { amount: refundable.amount, currency: b.currency },
    policy: POLICY_TEXT[first.policy],
  };
}

/** How much a cancellation refunds: the fare's policy, everything still refundable, or an admin's amount. */
export type RefundRule = { kind: "POLICY" } | { kind: "FULL" } | { kind: "AMOUNT"; amount: number };

export interface CancelOptions {
  /** Default: the policy share of what is still refundable. */
  refund?: RefundRule;
  adminUserId?: string;
  reason?: "CUSTOMER_CANCELLATION" | "ADMIN_CANCELLATION" | "SAILING_CANCELLED";
  /** What `cancelAtOperators` did just before the transaction (bookings with connected legs). */
  operators?: OperatorCancellation;
}

/**
 * Cancels a booking in one transaction: status CANCELLED, places released, refund row + create_refund job,
 * cancellation email. The API answers without waiting for Stripe.
 *
 * The refund is decided inside the transaction, after the booking row (then its payment) is locked: a
 * payment confirmed a moment earlier is seen and refunded by the policy, and refunds already in flight are
 * deducted (`refundableFor`), so no interleaving with the webhook, an admin refund or a second cancel can
 * refund nothing for a paid booking or more than was paid.
 */
export async function cancelBooking(
  svc: Services,
  bookingId: string,
  opts: CancelOptions = {},
): Promise<CancelResult> {
  const operators = await cancelAtOperators(svc, bookingId);
  const { result, released } = await svc.db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (!b) throw new AppError("NOT_FOUND", "We found no booking with this reference and email.");
    return cancelLockedBooking(svc, tx, b, { ...opts, operators });
  });
  await invalidateAfterCapacityChange(svc, released, { routes: true });
  svc.log.info("booking cancelled", { bookingId, refund: result.refund.amount, byAdmin: !!opts.adminUserId });
  return result;
}

export interface CancelResult {
  status: "CANCELLED";
  refund: { amount: number; currency: string };
}

/**
 * The body of `cancelBooking`, for a caller that has locked the booking row in its own transaction (an
 * admin cancelling, whose audit row commits with the change). Returns the sailings whose places were
 * released: the caller invalidates their cache entries once its transaction has committed.
 */
export async function cancelLockedBooking(
  svc: Services,
  tx: Tx,
  b: typeof bookings.$inferSelect,
  opts: CancelOptions,
): Promise<{ result: CancelResult; released: number[] }> {
  const now = svc.clock.now();
  if (b.status === "CANCELLED" || b.status === "EXPIRED") {
    throw new AppError("NOT_CANCELLABLE", `This booking is already ${b.status.toLowerCase()}.`, {
      status: b.status,
    });
  }
  if (b.status === "CONFIRMING" && opts.reason !== "SAILING_CANCELLED") {
    throw new AppError(
      "CONFIRMING",
      "This booking is being confirmed with the ferry company. Try again in a minute.",
      {},
    );
  }
  const operatorCharge = await settleConnectedLegs(tx, b, opts);
  const first = await firstLeg(tx, b.id);
  if (first.departureAt.getTime() <= now.getTime() && !opts.adminUserId) {
    throw new AppError(
      "DEPARTED",
      "The sailing has already left, so the booking can no longer be cancelled.",
    );
  }
  let released: number[];
  let refundAmount = 0;
  if (b.status === "PENDING_PAYMENT") {
    released = await releaseHeld(tx, b.id);
    await releaseConnectedLegs(tx, b);
    const open = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.bookingId, b.id), eq(payments.status, "PENDING")));
    for (const p of open) {
      await enqueue(tx, "expire_checkout_session", { paymentId: p.id }, { jobKey: `expire-session:${p.id}` });
    }
  } else {
    released = await releaseSold(tx, b.id);
    const refundable = await refundableFor(tx, b.id, { lock: true });
    const rule = opts.refund ?? { kind: "POLICY" };
    refundAmount =
      rule.kind === "FULL"
        ? refundable.amount
        : rule.kind === "AMOUNT"
          ? rule.amount
          : Math.min(
              refundFor(first.policy, first.departureAt, now, refundable.amount).amount,
              Math.max(0, refundable.amount - operatorCharge),
            );
    if (refundAmount < 0 || refundAmount > refundable.amount) {
      throw new AppError(
        "BAD_REQUEST",
        `The refund cannot be more than the ${(refundable.amount / 100).toFixed(2)} ${refundable.currency ?? b.currency} still refundable.`,
        { maxRefund: refundable.amount },
      );
    }
    if (refundable.paymentId && refundAmount > 0) {
      await requestRefund(tx, {
        bookingId: b.id,
        paymentId: refundable.paymentId,
        amount: refundAmount,
        currency: refundable.currency ?? b.currency,
        reason: opts.reason ?? (opts.adminUserId ? "ADMIN_CANCELLATION" : "CUSTOMER_CANCELLATION"),
        createdBy: opts.adminUserId,
      });
    }
  }
  await tx
    .update(bookings)
    .set({ status: "CANCELLED", cancelledAt: now, updatedAt: now })
    .where(eq(bookings.id, b.id));
  // The hold's expiry job, if any, has nothing left to do.
  await tx.execute(sql`select graphile_worker.remove_job(${`hold:${b.id}`})`);
  // Counted before the caller's commit: a cancellation rolled back afterwards (rare) is still counted.
  metrics().bookings.inc({ status: "CANCELLED" });
  await queueBookingEmail(tx, b, {
    kind: "booking_cancelled",
    dedupeKey: `cancelled:${b.id}`,
    data: { refundAmount, currency: b.currency, reason: opts.reason ?? null },
  });
  return {
    result: { status: "CANCELLED", refund: { amount: refundAmount, currency: b.currency } },
    released,
  };
}

/**
 * A paid booking's connected legs, under the booking lock: every confirmed one must have been cancelled at
 * its operator by `cancelAtOperators` before this transaction (else the booking changed in between, e.g.
 * it was confirmed meanwhile: the caller tries again), except when the operator cancelled the sailing
 * itself. They are marked cancelled; returns the operators' charge.
 */
async function settleConnectedLegs(
  tx: Tx,
  b: typeof bookings.$inferSelect,
  opts: CancelOptions,
): Promise<number> {
  if (b.status === "PENDING_PAYMENT") return 0;
  const legs = (await connectedLegsOf(tx, b)).filter(
    (l) => l.operatorStatus === "confirmed" || l.operatorStatus === "provisional",
  );
  if (legs.length === 0) return 0;
  const done = new Set(opts.operators?.legIds ?? []);
  const missing = legs.filter((l) => l.operatorStatus === "confirmed" && !done.has(l.legId));
  if (missing.length > 0 && opts.reason !== "SAILING_CANCELLED") {
    throw new AppError("CHANGED", "This booking changed while we were cancelling it. Try again.");
  }
  await setOperatorStatus(
    tx,
    legs.map((l) => l.legId),
    "cancelled",
  );
  // Whatever an operator may still hold for a leg not cancelled there (its sailing was cancelled, or the
  // booking was still being confirmed) is let go once this commits: the booking no longer owns it.
  await releaseOperatorHolds(
    tx,
    legs.filter((l) => !done.has(l.legId)),
  );
  return opts.operators?.charge ?? 0;
}
