import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { routes } from "@/server/db/schema/network";
import { payments } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import type { Cache } from "@/server/features/cache/cache";
import { queueEmail } from "@/server/features/email/outbox";
import { requestRefund } from "@/server/features/payments/refunds";
import { AppError } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import { log } from "@/server/lib/log";
import { invalidateAfterCapacityChange } from "./cache-effects";
import { releaseHeld, releaseSold } from "./inventory";
import { POLICY_TEXT, type PolicyBand, refundFor } from "./policy";

export interface CancelDeps {
  db: Db;
  cache: Cache;
  now?: () => Date;
}

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

async function paymentAndPolicy(db: Db, bookingId: string) {
  const [first] = await db
    .select({ departureAt: sailings.departureAt, policy: routes.refundPolicy })
    .from(bookingLegs)
    .innerJoin(sailings, eq(sailings.id, bookingLegs.sailingId))
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .where(eq(bookingLegs.bookingId, bookingId))
    .orderBy(asc(sailings.departureAt))
    .limit(1);
  const [paid] = await db
    .select()
    .from(payments)
    .where(
      and(eq(payments.bookingId, bookingId), inArray(payments.status, ["COMPLETED", "PARTIALLY_REFUNDED"])),
    )
    .orderBy(asc(payments.createdAt))
    .limit(1);
  return { first: first!, paid };
}

/** What cancelling now would refund, under the route's stated policy (shown before confirming). */
export async function refundPreview(deps: CancelDeps, bookingId: string): Promise<RefundPreview> {
  const now = deps.now?.() ?? new Date();
  const [b] = await deps.db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (!b) throw new AppError("NOT_FOUND", "We found no booking with this reference and email.");
  const { first, paid } = await paymentAndPolicy(deps.db, bookingId);
  const paidAmount = paid ? paid.amount - paid.amountRefunded : 0;
  const q = refundFor(first.policy, first.departureAt, now, paidAmount);
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
    paid: { amount: paidAmount, currency: b.currency },
    policy: POLICY_TEXT[first.policy],
  };
}

export interface CancelOptions {
  /** Admin override of the policy amount (minor units), 0 … what was paid. */
  refundAmount?: number;
  adminUserId?: string;
  reason?: "CUSTOMER_CANCELLATION" | "ADMIN_CANCELLATION" | "SAILING_CANCELLED";
}

/**
 * Cancels a booking (DESIGN §4 "Cancel / refund") in one transaction: status CANCELLED, places released,
 * refund row + create_refund job, cancellation email. The API answers without waiting for Stripe.
 */
export async function cancelBooking(
  deps: CancelDeps,
  bookingId: string,
  opts: CancelOptions = {},
): Promise<{ status: "CANCELLED"; refund: { amount: number; currency: string } }> {
  const now = deps.now?.() ?? new Date();
  const preview = await refundPreview(deps, bookingId);
  let released: number[] = [];
  const result = await deps.db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (!b) throw new AppError("NOT_FOUND", "We found no booking with this reference and email.");
    if (b.status === "CANCELLED" || b.status === "EXPIRED") {
      throw new AppError("CONFLICT", `This booking is already ${b.status.toLowerCase()}.`, {
        reason: "NOT_CANCELLABLE",
      });
    }
    if (preview.band === "DEPARTED" && !opts.adminUserId) {
      throw new AppError(
        "CONFLICT",
        "The sailing has already left, so the booking can no longer be cancelled.",
        {
          reason: "DEPARTED",
        },
      );
    }
    let refundAmount = 0;
    if (b.status === "PENDING_PAYMENT") {
      released = await releaseHeld(tx, b.id);
      const open = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.bookingId, b.id), eq(payments.status, "PENDING")));
      for (const p of open)
        await enqueue(
          tx,
          "expire_checkout_session",
          { paymentId: p.id },
          { jobKey: `expire-session:${p.id}` },
        );
    } else {
      released = await releaseSold(tx, b.id);
      const [paid] = await tx
        .select()
        .from(payments)
        .where(
          and(eq(payments.bookingId, b.id), inArray(payments.status, ["COMPLETED", "PARTIALLY_REFUNDED"])),
        )
        .orderBy(asc(payments.createdAt))
        .limit(1)
        .for("update");
      const refundable = paid ? paid.amount - paid.amountRefunded : 0;
      refundAmount = opts.refundAmount ?? preview.refund.amount;
      if (refundAmount < 0 || refundAmount > refundable) {
        throw new AppError(
          "BAD_REQUEST",
          `The refund must be between 0 and ${refundable / 100} ${b.currency}.`,
        );
      }
      if (paid && refundAmount > 0) {
        await requestRefund(tx, {
          bookingId: b.id,
          paymentId: paid.id,
          amount: refundAmount,
          currency: paid.currency,
          reason: opts.reason ?? (opts.adminUserId ? "ADMIN_CANCELLATION" : "CUSTOMER_CANCELLATION"),
          createdBy: opts.adminUserId,
        });
      }
    }
    await tx
      .update(bookings)
      .set({ status: "CANCELLED", cancelledAt: now, updatedAt: now })
      .where(eq(bookings.id, b.id));
    await tx.execute(
      // The hold's expiry job, if any, has nothing left to do.
      sqlRemoveJob(`hold:${b.id}`),
    );
    await queueEmail(tx, {
      kind: "booking_cancelled",
      bookingId: b.id,
      recipient: b.contactEmail,
      locale: b.locale,
      dedupeKey: `cancelled:${b.id}`,
      data: { refundAmount, currency: b.currency, reason: opts.reason ?? null },
    });
    return { status: "CANCELLED" as const, refund: { amount: refundAmount, currency: b.currency } };
  });
  await invalidateAfterCapacityChange(deps.db, deps.cache, released, { routes: true });
  log.info("booking cancelled", { bookingId, refund: result.refund.amount, byAdmin: !!opts.adminUserId });
  return result;
}

function sqlRemoveJob(key: string) {
  return sql`select graphile_worker.remove_job(${key})`;
}
