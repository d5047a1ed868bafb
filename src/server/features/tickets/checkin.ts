import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { bookingLegs, bookings, checkins, type LegDirection, passengers } from "@/server/db/schema/bookings";
import { ports, routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import { log } from "@/server/lib/log";
import { verifyTicketCode } from "./codes";

export type CheckInReason =
  | "malformed"
  | "bad_signature"
  | "unknown_ticket"
  | "booking_not_confirmed"
  | "booking_cancelled"
  | "sailing_cancelled"
  | "ticket_superseded";

export interface CheckInResult {
  result: "valid" | "invalid" | "already_used";
  /** Why an invalid code is invalid, in words port staff can act on. */
  reason?: CheckInReason;
  message?: string;
  passenger?: { firstName: string; lastName: string; type: string };
  leg?: {
    direction: LegDirection;
    sailingId: number;
    from: string;
    to: string;
    departureAt: Date;
    timeZone: string;
  };
  reference?: string;
  checkedInAt?: Date;
}

const messages: Record<CheckInReason, string> = {
  malformed: "This is not a Traverse boarding code.",
  bad_signature: "The code's signature does not match: it was altered or forged. Do not board.",
  unknown_ticket: "No such passenger on this booking. Do not board; send the traveller to the desk.",
  booking_not_confirmed: "The booking is not paid. Send the traveller to the desk.",
  booking_cancelled: "The booking was cancelled. Do not board.",
  sailing_cancelled: "This sailing was cancelled. Send the traveller to the desk for rebooking.",
  ticket_superseded: "The booking was moved to another sailing; this code is for the old one.",
};

function invalid(reason: CheckInReason, extra: Partial<CheckInResult> = {}): CheckInResult {
  return { result: "invalid", reason, message: messages[reason], ...extra };
}

/**
 * Verifies a scanned code and records the boarding. The signature is checked first, offline, so forged
 * codes never reach the database; then the booking must still be confirmed and the leg still on the
 * signed sailing. The first scan of a (passenger, leg) is valid; later ones say when it was first used.
 * The insert with ON CONFLICT makes two scanners racing on the same ticket agree on one winner.
 */
export async function checkInTicket(db: DbOrTx, code: string): Promise<CheckInResult> {
  const verified = verifyTicketCode(code);
  if (!verified.ok) {
    log.warn("check-in rejected", { reason: verified.reason });
    return invalid(verified.reason);
  }
  const claims = verified.claims;
  const [row] = await db
    .select({
      passengerId: passengers.id,
      firstName: passengers.firstName,
      lastName: passengers.lastName,
      type: passengers.type,
      reference: bookings.reference,
      status: bookings.status,
      legSailingId: bookingLegs.sailingId,
    })
    .from(passengers)
    .innerJoin(bookings, eq(bookings.id, passengers.bookingId))
    .leftJoin(
      bookingLegs,
      and(eq(bookingLegs.bookingId, bookings.id), eq(bookingLegs.direction, claims.direction)),
    )
    .where(and(eq(passengers.id, claims.passengerId), eq(bookings.reference, claims.ref)));
  if (!row || row.legSailingId === null) return invalid("unknown_ticket");

  const [sailing] = await db
    .select({
      id: sailings.id,
      status: sailings.status,
      departureAt: sailings.departureAt,
      from: routes.fromPort,
      to: routes.toPort,
      timeZone: ports.timeZone,
    })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .innerJoin(ports, eq(ports.code, routes.fromPort))
    .where(eq(sailings.id, claims.sailingId));
  const context: Partial<CheckInResult> = {
    reference: row.reference,
    passenger: { firstName: row.firstName, lastName: row.lastName, type: row.type },
    ...(sailing
      ? {
          leg: {
            direction: claims.direction,
            sailingId: sailing.id,
            from: sailing.from,
            to: sailing.to,
            departureAt: sailing.departureAt,
            timeZone: sailing.timeZone,
          },
        }
      : {}),
  };
  if (row.status === "CANCELLED") return invalid("booking_cancelled", context);
  if (row.status !== "CONFIRMED") return invalid("booking_not_confirmed", context);
  if (row.legSailingId !== claims.sailingId || !sailing) return invalid("ticket_superseded", context);
  if (sailing.status === "CANCELLED") return invalid("sailing_cancelled", context);

  const [inserted] = await db
    .insert(checkins)
    .values({ passengerId: row.passengerId, direction: claims.direction })
    .onConflictDoNothing()
    .returning({ checkedInAt: checkins.checkedInAt });
  if (inserted) {
    log.info("checked in", {
      passengerId: row.passengerId,
      direction: claims.direction,
      sailingId: sailing.id,
    });
    return { result: "valid", ...context, checkedInAt: inserted.checkedInAt };
  }
  const [existing] = await db
    .select({ checkedInAt: checkins.checkedInAt })
    .from(checkins)
    .where(and(eq(checkins.passengerId, row.passengerId), eq(checkins.direction, claims.direction)));
  log.warn("check-in repeated", { passengerId: row.passengerId, direction: claims.direction });
  return {
    result: "already_used",
    message: "This ticket was already used to board.",
    ...context,
    checkedInAt: existing?.checkedInAt,
  };
}
