import { and, eq, ne } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { sailings } from "@/server/db/schema/sailings";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { cancelBookingAsAdmin } from "@/server/features/booking/admin-cancel";
import { queueSailingNotice } from "@/server/features/email/outbox";
import { AppError, isAppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import type { cancelSailingInput } from "./inputs";
import { lockSailing } from "./sailing-changes";

export interface CancelSailingResult {
  sailingId: number;
  status: "CANCELLED";
  /** True when the sailing was already cancelled by an earlier call (this call only finished the work). */
  alreadyCancelled: boolean;
  /** Sailing notices queued by this call (one per confirmed booking, only on the first call). */
  noticesQueued: number;
  /** Bookings this call cancelled, and the refunds it requested for them. */
  bookingsCancelled: number;
  refundsRequested: { count: number; amount: number };
  /** Bookings that could not be cancelled this time (run the cancellation again to retry them). */
  failed: { bookingId: string; error: string }[];
}

/**
 * Cancels a sailing: marks it CANCELLED, tells every traveller with a confirmed booking (one
 * sailing notice each), then cancels every pending or confirmed booking on it with a full refund through
 * `cancelBooking` (places released, refund job, cancellation email). Bookings with a return leg are
 * cancelled and refunded as a whole: half a round trip is not what they bought.
 *
 * Exactly once, even if called twice or concurrently: the sailing row lock and status check make the
 * notice happen once (and its dedupe key would drop a repeat anyway), each booking is locked and skipped
 * when already cancelled, and refunds/emails carry their own idempotency keys. A second call after a crash
 * halfway finishes the bookings the first call did not reach.
 *
 * Each booking is its own transaction so a big sailing never holds hundreds of locks at once; new bookings
 * cannot appear meanwhile because booking creation share-locks the sailing and refuses a CANCELLED one.
 */
export async function cancelSailing(
  svc: Services,
  actor: Actor,
  input: z.infer<typeof cancelSailingInput>,
): Promise<CancelSailingResult> {
  const { log } = svc;
  const now = svc.clock.now();
  const first = await svc.db.transaction(async (tx) => {
    // Own operators only: a connected operator cancels its own sailings; its change feed brings the
    // cancellation here.
    const { sailing: s, route } = await lockSailing(tx, input.sailingId);
    if (s.status === "CANCELLED") return { route, alreadyCancelled: true, noticesQueued: 0 };
    if (s.departureAt.getTime() <= now.getTime()) {
      throw new AppError("CONFLICT", "This sailing has already left and can no longer be cancelled.");
    }
    await tx
      .update(sailings)
      .set({ status: "CANCELLED", updatedAt: now })
      .where(and(eq(sailings.id, s.id), eq(sailings.status, "SCHEDULED")));
    // Before the bookings are cancelled: the notice goes to bookings that are CONFIRMED right now.
    const notice = await queueSailingNotice(tx, {
      sailingId: s.id,
      change: "cancelled",
      message: input.message ?? null,
      // A sailing is cancelled once, so one fixed version: a repeat can never queue a second notice.
      version: "cancelled",
    });
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "schedule.cancelSailing",
      entity: "sailing",
      entityId: s.id,
      before: { status: s.status },
      after: { status: "CANCELLED", noticesQueued: notice.queued, message: input.message ?? null },
    });
    return { route, alreadyCancelled: false, noticesQueued: notice.queued };
  });
  await svc.cache.invalidateRoute(first.route.from, first.route.to);
  await svc.cache.invalidateSailingAvailability([input.sailingId]);

  const result: CancelSailingResult = {
    sailingId: input.sailingId,
    status: "CANCELLED",
    alreadyCancelled: first.alreadyCancelled,
    noticesQueued: first.noticesQueued,
    bookingsCancelled: 0,
    refundsRequested: { count: 0, amount: 0 },
    failed: [],
  };
  for (const bookingId of await activeBookingIds(svc.db, input.sailingId)) {
    try {
      const r = await cancelBookingAsAdmin(svc, actor, bookingId, {
        refund: { kind: "FULL" },
        reason: "SAILING_CANCELLED",
        skipInactive: true,
      });
      if (!r) continue;
      result.bookingsCancelled++;
      if (r.refund.amount > 0) {
        result.refundsRequested.count++;
        result.refundsRequested.amount += r.refund.amount;
      }
    } catch (e) {
      // One stuck booking must not leave the others on a cancelled sailing; the admin re-runs to retry.
      log.error("booking not cancelled with its sailing", {
        sailingId: input.sailingId,
        bookingId,
        error: (e as Error).message,
      });
      result.failed.push({
        bookingId,
        error: isAppError(e) ? e.message : "Unexpected error; run the cancellation again to retry.",
      });
    }
  }
  log.info("sailing cancelled", {
    sailingId: input.sailingId,
    bookings: result.bookingsCancelled,
    failed: result.failed.length,
  });
  return result;
}

/** Bookings on a sailing that are still pending or confirmed: what cancelling the sailing must cancel. */
async function activeBookingIds(db: DbOrTx, sailingId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: bookings.id })
    .from(bookings)
    .innerJoin(bookingLegs, eq(bookingLegs.bookingId, bookings.id))
    .where(
      and(
        eq(bookingLegs.sailingId, sailingId),
        ne(bookings.status, "CANCELLED"),
        ne(bookings.status, "EXPIRED"),
      ),
    );
  return rows.map((r) => r.id).sort();
}
