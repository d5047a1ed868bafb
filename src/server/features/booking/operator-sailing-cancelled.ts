import { and, eq, notInArray } from "drizzle-orm";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { sailings } from "@/server/db/schema/sailings";
import { queueSailingNotice } from "@/server/features/email/outbox";
import { isAppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { cancelBooking } from "./cancel";
import { findShadowSailing } from "./shadow-sailing";

export interface OperatorSailingCancelledResult {
  noticesQueued: number;
  bookingsCancelled: number;
  failed: number;
}

/**
 * The `operator_sailing_cancelled` job: a connected operator cancelled one of its sailings (its change
 * feed said so). As `cancelSailing` does for an own sailing: the shadow row becomes CANCELLED, every
 * traveller with a confirmed booking gets the sailing notice (once: fixed dedupe version), and every live
 * booking on it is cancelled with a full refund (a round trip as a whole). A sailing no booking of ours
 * ever took has no shadow row and nothing to do.
 *
 * Safe to repeat: the notice is deduplicated, cancelled bookings are skipped, refunds carry their own keys.
 * A booking that could not be cancelled (an operator leg unreachable) makes the job throw after the others
 * are done, so graphile-worker runs it again for the rest.
 */
export async function operatorSailingCancelled(
  svc: Services,
  job: { operator: string; operatorSailingId: string },
): Promise<OperatorSailingCancelledResult> {
  const shadow = await findShadowSailing(svc.db, job.operator, job.operatorSailingId);
  if (!shadow) return { noticesQueued: 0, bookingsCancelled: 0, failed: 0 };
  const noticesQueued = await svc.db.transaction(async (tx) => {
    const [s] = await tx.select().from(sailings).where(eq(sailings.id, shadow.id)).for("update");
    if (!s) return 0;
    if (s.status !== "CANCELLED") {
      await tx
        .update(sailings)
        .set({ status: "CANCELLED", updatedAt: svc.clock.now() })
        .where(eq(sailings.id, s.id));
    }
    const notice = await queueSailingNotice(tx, {
      sailingId: s.id,
      change: "cancelled",
      message: null,
      version: "cancelled",
    });
    return notice.queued;
  });
  await svc.cache.invalidateSailingAvailability([shadow.id]);

  const live = await svc.db
    .selectDistinct({ id: bookings.id })
    .from(bookings)
    .innerJoin(bookingLegs, eq(bookingLegs.bookingId, bookings.id))
    .where(and(eq(bookingLegs.sailingId, shadow.id), notInArray(bookings.status, ["CANCELLED", "EXPIRED"])));
  let bookingsCancelled = 0;
  let failed = 0;
  for (const { id } of live.sort((a, b) => a.id.localeCompare(b.id))) {
    try {
      await cancelBooking(svc, id, { refund: { kind: "FULL" }, reason: "SAILING_CANCELLED" });
      bookingsCancelled++;
    } catch (e) {
      // Cancelled meanwhile (a repeat, or the traveller): nothing left to do for it.
      if (isAppError(e) && e.details?.reason === "NOT_CANCELLABLE") continue;
      failed++;
      svc.log.error("booking not cancelled with its operator's sailing", { bookingId: id, error: e });
    }
  }
  svc.log.info("operator sailing cancelled", { operator: job.operator, bookingsCancelled, failed });
  if (failed > 0) throw new Error(`${failed} booking(s) on the cancelled sailing are still to be cancelled`);
  return { noticesQueued, bookingsCancelled, failed };
}
