import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { bookingLegs, type LegDirection, type OperatorLegStatus } from "@/server/db/schema/bookings";
import { routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import { agentReferenceFor } from "@/server/features/operators/connector";
import { releaseOperatorHolds } from "./operator-hold";
import { legSailing, sailingRoute } from "@/server/db/queries/joins";

/** A booking's legs sold through connected operators, with what we know of them there. */
export interface ConnectedLeg {
  legId: number;
  direction: LegDirection;
  sailingId: number;
  operator: string;
  operatorSailingId: string;
  operatorReference: string;
  operatorStatus: OperatorLegStatus;
  agentReference: string;
}

export async function connectedLegsOf(
  db: DbOrTx,
  booking: { id: string; reference: string },
): Promise<ConnectedLeg[]> {
  const rows = await db
    .select({
      legId: bookingLegs.id,
      direction: bookingLegs.direction,
      sailingId: bookingLegs.sailingId,
      operator: routes.operatorCode,
      operatorSailingId: sailings.operatorSailingId,
      operatorReference: bookingLegs.operatorReference,
      operatorStatus: bookingLegs.operatorStatus,
    })
    .from(bookingLegs)
    .innerJoin(sailings, legSailing)
    .innerJoin(routes, sailingRoute)
    .where(and(eq(bookingLegs.bookingId, booking.id), isNotNull(bookingLegs.operatorReference)))
    .orderBy(bookingLegs.direction);
  return rows.map((r) => ({
    ...r,
    operatorSailingId: r.operatorSailingId ?? "",
    operatorReference: r.operatorReference!,
    operatorStatus: r.operatorStatus!,
    agentReference: agentReferenceFor(booking.reference, r.direction),
  }));
}

export async function setOperatorStatus(db: DbOrTx, legIds: number[], status: OperatorLegStatus) {
  if (legIds.length === 0) return;
  await db.update(bookingLegs).set({ operatorStatus: status }).where(inArray(bookingLegs.id, legIds));
}

/**
 * An unpaid booking ends (hold expired, cancelled, paid wrongly): its provisional operator bookings are
 * let go, by job, in the caller's transaction. Returns the shadow sailings concerned.
 */
export async function releaseConnectedLegs(
  tx: DbOrTx,
  booking: { id: string; reference: string },
): Promise<number[]> {
  const legs = (await connectedLegsOf(tx, booking)).filter((l) => l.operatorStatus === "provisional");
  await setOperatorStatus(
    tx,
    legs.map((l) => l.legId),
    "released",
  );
  await releaseOperatorHolds(tx, legs);
  return legs.map((l) => l.sailingId);
}
