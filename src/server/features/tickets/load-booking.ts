import { asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db/client";
import {
  type BookingStatus,
  bookingLegs,
  bookings,
  bookingVehicles,
  type LegDirection,
  type Locale,
  passengers,
  type PriceLineKind,
  priceLines,
} from "@/server/db/schema/bookings";
import { operators, ports, routes, vessels } from "@/server/db/schema/network";
import type { Accommodation, PassengerType, VehicleType } from "@/server/db/schema/resources";
import { type SailingStatus, sailings } from "@/server/db/schema/sailings";

export interface PortView {
  code: string;
  name: string;
  timeZone: string;
}

export interface LegView {
  direction: LegDirection;
  sailingId: number;
  sailingStatus: SailingStatus;
  departureAt: Date;
  arrivalAt: Date;
  from: PortView;
  to: PortView;
  operator: string;
  vessel: string;
  accommodation: Accommodation;
  /** A connected operator's booking reference for this leg (shown to port staff); null for own legs. */
  operatorReference: string | null;
}

export interface PassengerView {
  id: number;
  position: number;
  type: PassengerType;
  firstName: string;
  lastName: string;
}

export interface PriceLineView {
  direction: LegDirection;
  /** What the line charges for: templates label it from these, in the booking's language. */
  kind: PriceLineKind;
  passengerType: PassengerType | null;
  accommodation: Accommodation | null;
  vehicleType: VehicleType | null;
  /** The same in English, as stored. */
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
  currency: string;
}

/** Everything an email or the ticket page shows about a booking, read in one place. */
export interface BookingView {
  id: string;
  reference: string;
  locale: Locale;
  status: BookingStatus;
  contactEmail: string;
  totalAmount: number;
  currency: string;
  /** Outbound first. */
  legs: LegView[];
  passengers: PassengerView[];
  vehicle: { type: VehicleType; registration: string } | null;
  priceLines: PriceLineView[];
}

const fromPort = alias(ports, "from_port");
const toPort = alias(ports, "to_port");

export async function loadBookingView(db: DbOrTx, bookingId: string): Promise<BookingView | null> {
  const views = await loadBookingViews(db, [bookingId]);
  return views.get(bookingId) ?? null;
}

/** Loads many bookings in five queries, whatever their number: the batch path renders 100 at a time. */
export async function loadBookingViews(db: DbOrTx, bookingIds: string[]): Promise<Map<string, BookingView>> {
  const result = new Map<string, BookingView>();
  if (bookingIds.length === 0) return result;
  const [bookingRows, legRows, passengerRows, vehicleRows, lineRows] = await Promise.all([
    db.select().from(bookings).where(inArray(bookings.id, bookingIds)),
    db
      .select({
        bookingId: bookingLegs.bookingId,
        direction: bookingLegs.direction,
        accommodation: bookingLegs.accommodation,
        operatorReference: bookingLegs.operatorReference,
        sailingId: sailings.id,
        sailingStatus: sailings.status,
        departureAt: sailings.departureAt,
        arrivalAt: sailings.arrivalAt,
        fromCode: fromPort.code,
        fromName: fromPort.name,
        fromZone: fromPort.timeZone,
        toCode: toPort.code,
        toName: toPort.name,
        toZone: toPort.timeZone,
        operator: operators.name,
        vessel: vessels.name,
      })
      .from(bookingLegs)
      .innerJoin(sailings, eq(sailings.id, bookingLegs.sailingId))
      .innerJoin(routes, eq(routes.id, sailings.routeId))
      .innerJoin(fromPort, eq(fromPort.code, routes.fromPort))
      .innerJoin(toPort, eq(toPort.code, routes.toPort))
      .innerJoin(operators, eq(operators.code, routes.operatorCode))
      .innerJoin(vessels, eq(vessels.id, sailings.vesselId))
      .where(inArray(bookingLegs.bookingId, bookingIds))
      .orderBy(asc(sailings.departureAt)),
    db
      .select({
        id: passengers.id,
        bookingId: passengers.bookingId,
        position: passengers.position,
        type: passengers.type,
        firstName: passengers.firstName,
        lastName: passengers.lastName,
      })
      .from(passengers)
      .where(inArray(passengers.bookingId, bookingIds))
      .orderBy(asc(passengers.position)),
    db.select().from(bookingVehicles).where(inArray(bookingVehicles.bookingId, bookingIds)),
    db.select().from(priceLines).where(inArray(priceLines.bookingId, bookingIds)).orderBy(asc(priceLines.id)),
  ]);
  for (const b of bookingRows) {
    result.set(b.id, {
      id: b.id,
      reference: b.reference,
      locale: b.locale,
      status: b.status,
      contactEmail: b.contactEmail,
      totalAmount: b.totalAmount,
      currency: b.currency,
      legs: [],
      passengers: [],
      vehicle: null,
      priceLines: [],
    });
  }
  for (const l of legRows) {
    result.get(l.bookingId)?.legs.push({
      direction: l.direction,
      sailingId: l.sailingId,
      sailingStatus: l.sailingStatus,
      departureAt: l.departureAt,
      arrivalAt: l.arrivalAt,
      from: { code: l.fromCode, name: l.fromName, timeZone: l.fromZone },
      to: { code: l.toCode, name: l.toName, timeZone: l.toZone },
      operator: l.operator,
      vessel: l.vessel,
      accommodation: l.accommodation,
      operatorReference: l.operatorReference,
    });
  }
  for (const p of passengerRows) {
    const { bookingId, ...rest } = p;
    result.get(bookingId)?.passengers.push(rest);
  }
  for (const v of vehicleRows) {
    const view = result.get(v.bookingId);
    if (view) view.vehicle = { type: v.type, registration: v.registration };
  }
  for (const line of lineRows) {
    result.get(line.bookingId)?.priceLines.push({
      direction: line.direction,
      kind: line.kind,
      passengerType: line.passengerType,
      accommodation: line.accommodation,
      vehicleType: line.vehicleType,
      description: line.description,
      quantity: line.quantity,
      unitAmount: line.unitAmount,
      amount: line.amount,
      currency: line.currency,
    });
  }
  return result;
}
