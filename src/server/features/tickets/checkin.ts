import { and, asc, eq, gte, lte } from "drizzle-orm";
import { z } from "zod";
import { bookingLegs, bookings, checkins, type LegDirection, passengers } from "@/server/db/schema/bookings";
import { sailingWith, toSailingView } from "@/server/db/queries/sailing-view";
import { sailings } from "@/server/db/schema/sailings";
import type { Services } from "@/server/services";
import { verifyTicketCode } from "./codes";

export type CheckInReason =
  | "malformed"
  | "bad_signature"
  | "unknown_ticket"
  | "booking_not_confirmed"
  | "booking_cancelled"
  | "sailing_cancelled"
  | "ticket_superseded"
  | "wrong_sailing"
  | "boarding_not_open"
  | "boarding_closed";

/**
 * When a sailing boards, around its scheduled departure. Ferry check-in opens two to three hours before
 * departure (vehicles queue early); past that, a ticket for today's sailing scanned in the morning is a
 * traveller at the wrong quay or on the wrong day. Thirty minutes after departure covers late loading;
 * later than that the ship has gone and a "valid" would be a lie. Delays are not modelled: staff pick the
 * sailing they are boarding, and the window follows its schedule.
 */
export const BOARDING_WINDOW = { opensMinutesBefore: 180, closesMinutesAfter: 30 } as const;

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
  wrong_sailing: "This ticket is for another sailing. Do not board; check the sailing shown below.",
  boarding_not_open: `Boarding has not opened: it opens ${BOARDING_WINDOW.opensMinutesBefore / 60} hours before departure.`,
  boarding_closed: `Boarding closed ${BOARDING_WINDOW.closesMinutesAfter} minutes after departure. Send the traveller to the desk.`,
};

function invalid(reason: CheckInReason, extra: Partial<CheckInResult> = {}): CheckInResult {
  return { result: "invalid", reason, message: messages[reason], ...extra };
}

export const checkInInput = z.object({
  /** The text of the scanned QR code. */
  code: z.string().trim().min(1).max(512),
  /** The sailing being boarded, chosen by the staff member: a ticket for any other sailing is refused. */
  sailingId: z.number().int().positive(),
});

export type CheckInInput = z.output<typeof checkInInput>;

/**
 * Verifies a scanned code and records the boarding. The signature is checked first, offline, so forged
 * codes never reach the database; then the booking must still be confirmed, the leg still on the signed
 * sailing, that sailing the one being boarded, and boarding open (`BOARDING_WINDOW`). The first scan of a
 * (passenger, leg) is valid; later ones say when it was first used. The insert with ON CONFLICT makes two
 * scanners racing on the same ticket agree on one winner.
 */
export async function checkInTicket(svc: Services, input: CheckInInput): Promise<CheckInResult> {
  const { db, log } = svc;
  const now = svc.clock.now();
  const verified = verifyTicketCode(input.code);
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

  const found = await db.query.sailings.findFirst({
    ...sailingWith,
    where: eq(sailings.id, claims.sailingId),
  });
  const sailing = found && toSailingView(found);
  const context: Partial<CheckInResult> = {
    reference: row.reference,
    passenger: { firstName: row.firstName, lastName: row.lastName, type: row.type },
    ...(sailing
      ? {
          leg: {
            direction: claims.direction,
            sailingId: sailing.id,
            from: sailing.from.code,
            to: sailing.to.code,
            departureAt: sailing.departureAt,
            timeZone: sailing.from.timeZone,
          },
        }
      : {}),
  };
  if (row.status === "CANCELLED") return invalid("booking_cancelled", context);
  if (row.status !== "CONFIRMED") return invalid("booking_not_confirmed", context);
  if (row.legSailingId !== claims.sailingId || !sailing) return invalid("ticket_superseded", context);
  if (claims.sailingId !== input.sailingId) {
    log.warn("check-in for another sailing", { sailingId: claims.sailingId, boarding: input.sailingId });
    return invalid("wrong_sailing", context);
  }
  if (sailing.status === "CANCELLED") return invalid("sailing_cancelled", context);
  const minutesToDeparture = (sailing.departureAt.getTime() - now.getTime()) / 60_000;
  if (minutesToDeparture > BOARDING_WINDOW.opensMinutesBefore) return invalid("boarding_not_open", context);
  if (-minutesToDeparture > BOARDING_WINDOW.closesMinutesAfter) return invalid("boarding_closed", context);

  const [inserted] = await db
    .insert(checkins)
    .values({ passengerId: row.passengerId, direction: claims.direction, checkedInAt: now })
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

export interface BoardingSailing {
  id: number;
  from: string;
  to: string;
  operator: string;
  vessel: string;
  departureAt: Date;
  timeZone: string;
  /** Whether `BOARDING_WINDOW` is open at `now`. */
  boardingOpen: boolean;
}

/**
 * The sailings a check-in desk may be boarding: departed at most `closesMinutesAfter` ago, or leaving in
 * the next twelve hours (listed before their window opens so staff can set up). Cancelled ones are left out.
 */
export async function boardingSailings(svc: Services): Promise<BoardingSailing[]> {
  const now = svc.clock.now();
  const from = new Date(now.getTime() - BOARDING_WINDOW.closesMinutesAfter * 60_000);
  const to = new Date(now.getTime() + 12 * 3600_000);
  const rows = await svc.db.query.sailings.findMany({
    ...sailingWith,
    where: and(
      eq(sailings.status, "SCHEDULED"),
      gte(sailings.departureAt, from),
      lte(sailings.departureAt, to),
    ),
    orderBy: [asc(sailings.departureAt), asc(sailings.id)],
    limit: 100,
  });
  return rows.map(toSailingView).map((r) => ({
    id: r.id,
    from: r.from.code,
    to: r.to.code,
    operator: r.operator.name,
    vessel: r.vessel.name,
    departureAt: r.departureAt,
    timeZone: r.from.timeZone,
    boardingOpen: r.departureAt.getTime() - now.getTime() <= BOARDING_WINDOW.opensMinutesBefore * 60_000,
  }));
}
