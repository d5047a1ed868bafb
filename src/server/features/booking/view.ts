import { asc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db/client";
import { bookingLegs, bookings, bookingVehicles, passengers, priceLines } from "@/server/db/schema/bookings";
import { operators, ports, routes, vessels } from "@/server/db/schema/network";
import { payments, refunds } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { ticketUrl } from "@/server/features/tickets/ticket-link";
import { ticketTokenForBooking } from "@/server/features/tickets/tickets";
import { AppError } from "@/server/lib/errors";

/** Everything a traveller sees about their booking. No document numbers: those stay in the database. */
export async function getBookingView(db: DbOrTx, bookingId: string) {
  const [b] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (!b)
    throw new AppError(
      "NOT_FOUND",
      "We found no booking with this reference and email. Check both and try again.",
    );
  const fromPort = alias(ports, "from_port");
  const toPort = alias(ports, "to_port");
  const [legs, pax, vehicle, lines, pays, refs] = await Promise.all([
    db
      .select({
        direction: bookingLegs.direction,
        accommodation: bookingLegs.accommodation,
        /** The connected operator's own booking reference for this leg; null for own operators' legs. */
        operatorReference: bookingLegs.operatorReference,
        sailingId: sailings.id,
        departureAt: sailings.departureAt,
        arrivalAt: sailings.arrivalAt,
        sailingStatus: sailings.status,
        from: { code: fromPort.code, name: fromPort.name, timeZone: fromPort.timeZone },
        to: { code: toPort.code, name: toPort.name, timeZone: toPort.timeZone },
        operator: { code: operators.code, name: operators.name },
        vessel: vessels.name,
        refundPolicy: routes.refundPolicy,
      })
      .from(bookingLegs)
      .innerJoin(sailings, eq(sailings.id, bookingLegs.sailingId))
      .innerJoin(routes, eq(routes.id, sailings.routeId))
      .innerJoin(fromPort, eq(fromPort.code, routes.fromPort))
      .innerJoin(toPort, eq(toPort.code, routes.toPort))
      .innerJoin(operators, eq(operators.code, routes.operatorCode))
      .innerJoin(vessels, eq(vessels.id, sailings.vesselId))
      .where(eq(bookingLegs.bookingId, b.id))
      .orderBy(asc(bookingLegs.direction)),
    db
      .select({
        id: passengers.id,
        type: passengers.type,
        firstName: passengers.firstName,
        lastName: passengers.lastName,
      })
      .from(passengers)
      .where(eq(passengers.bookingId, b.id))
      .orderBy(asc(passengers.position)),
    db.select().from(bookingVehicles).where(eq(bookingVehicles.bookingId, b.id)),
    db.select().from(priceLines).where(eq(priceLines.bookingId, b.id)).orderBy(asc(priceLines.id)),
    db
      .select({
        id: payments.id,
        status: payments.status,
        amount: payments.amount,
        amountRefunded: payments.amountRefunded,
        currency: payments.currency,
        createdAt: payments.createdAt,
      })
      .from(payments)
      .where(eq(payments.bookingId, b.id))
      .orderBy(asc(payments.createdAt)),
    db
      .select({
        id: refunds.id,
        status: refunds.status,
        amount: refunds.amount,
        currency: refunds.currency,
        createdAt: refunds.createdAt,
      })
      .from(refunds)
      .where(eq(refunds.bookingId, b.id))
      .orderBy(asc(refunds.createdAt)),
  ]);
  const v = vehicle[0];
  // The printable e-ticket page, reachable only through this signed link (and the confirmation email).
  const token = b.status === "CONFIRMED" ? await ticketTokenForBooking(db, b.id) : null;
  return {
    ticketUrl: token ? ticketUrl(b.locale, token) : null,
    reference: b.reference,
    status: b.status,
    locale: b.locale,
    contactEmail: b.contactEmail,
    holdExpiresAt: b.holdExpiresAt,
    createdAt: b.createdAt,
    confirmedAt: b.confirmedAt,
    cancelledAt: b.cancelledAt,
    total: { amount: b.totalAmount, currency: b.currency },
    legs: legs.sort((x, y) => (x.direction === "OUTBOUND" ? -1 : y.direction === "OUTBOUND" ? 1 : 0)),
    passengers: pax,
    vehicle: v
      ? { type: v.type, registration: v.registration, heightCm: v.heightCm, lengthCm: v.lengthCm }
      : null,
    pets: lines.filter((l) => l.kind === "PET").reduce((m, l) => Math.max(m, l.quantity), 0),
    priceLines: lines.map((l) => ({
      direction: l.direction,
      kind: l.kind,
      passengerType: l.passengerType,
      accommodation: l.accommodation,
      vehicleType: l.vehicleType,
      description: l.description,
      quantity: l.quantity,
      unitAmount: l.unitAmount,
      amount: l.amount,
      currency: l.currency,
    })),
    payments: pays,
    refunds: refs,
  };
}

export type BookingView = Awaited<ReturnType<typeof getBookingView>>;
