import { asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { bookingLegs } from "@/server/db/schema/bookings";
import { sailings } from "@/server/db/schema/sailings";
import { SALES_CLOSE_MINUTES } from "./validate";
import { retakeAsSold } from "./inventory";

export type LateRefusal =
  | "LATE_PAYMENT_SAILING_CANCELLED"
  | "LATE_PAYMENT_DEPARTED"
  | "LATE_PAYMENT_SALES_CLOSED"
  | "LATE_PAYMENT_NO_CAPACITY";

export type LateVerdict = { ok: true; sailingIds: number[] } | { ok: false; reason: LateRefusal };

/**
 * Whether a payment that arrived after its hold expired can still buy the ticket: every sailing of the
 * booking still SCHEDULED, not departed, still on sale (sales close SALES_CLOSE_MINUTES before departure,
 * as in `createBooking`) and its places free again, in which case they are re-taken as sold here.
 * Otherwise nothing changes and the caller refunds, telling the traveller the reason returned.
 *
 * The sailings are share-locked in id order, the order `insertWithHolds` locks them in. An admin
 * cancelling or moving a sailing (`cancelSailing`, `updateSailing`) takes it FOR UPDATE, so that change
 * either committed before this read or waits for our commit: it cannot slip in between this check and the
 * confirmation. The caller holds the booking row lock already (booking → sailings, never the reverse).
 */
export async function retakeLate(tx: DbOrTx, bookingId: string, now: Date): Promise<LateVerdict> {
  const legs = await tx
    .select({ id: sailings.id, status: sailings.status, departureAt: sailings.departureAt })
    .from(sailings)
    .where(
      inArray(
        sailings.id,
        tx
          .select({ id: bookingLegs.sailingId })
          .from(bookingLegs)
          .where(eq(bookingLegs.bookingId, bookingId)),
      ),
    )
    .orderBy(asc(sailings.id))
    .for("share");
  const t = now.getTime();
  if (legs.some((s) => s.status !== "SCHEDULED"))
    return { ok: false, reason: "LATE_PAYMENT_SAILING_CANCELLED" };
  if (legs.some((s) => s.departureAt.getTime() <= t)) return { ok: false, reason: "LATE_PAYMENT_DEPARTED" };
  if (legs.some((s) => s.departureAt.getTime() - SALES_CLOSE_MINUTES * 60_000 <= t)) {
    return { ok: false, reason: "LATE_PAYMENT_SALES_CLOSED" };
  }
  const retaken = await retakeAsSold(tx, bookingId);
  return retaken.ok
    ? { ok: true, sailingIds: retaken.sailingIds }
    : { ok: false, reason: "LATE_PAYMENT_NO_CAPACITY" };
}
