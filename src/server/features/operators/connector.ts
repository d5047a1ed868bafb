import type { OperatorKind } from "@/server/db/schema/network";
import type { Accommodation, PassengerType, Resource, VehicleType } from "@/server/db/schema/resources";
import type { SailingStatus } from "@/server/db/schema/sailings";
import type { Money } from "@/shared/money";

/**
 * What Traverse asks of a connected operator's reservation system, in Traverse's words: port codes,
 * UTC instants as Dates, money in minor units with its currency, and the accommodation, passenger and
 * vehicle types of `src/server/db/schema/resources.ts`. An adapter (`ferrygateway-json.ts`) maps one wire
 * format onto this, so another (an XML FerryGateway) could replace it without touching callers.
 *
 * Every method either answers or throws an `OperatorError` (`operator-error.ts`) whose `kind` tells the
 * caller whether trying again can help. Connectors never retry by themselves.
 */
export interface OperatorConnector {
  readonly code: string;
  /** The operator's ports, routes and sales window (for the directory and the admin page). */
  routes(): Promise<OperatorNetwork>;
  /** Sailings of a route departing on a local date at the departure port, priced for the party. */
  sailings(route: RouteRef, day: string, party: Party): Promise<SailingOffer[]>;
  /** A fresh price for one selection; the quote holds that price until `validUntil`. */
  price(selection: Selection): Promise<Quote>;
  /**
   * A provisional booking at the operator (places taken, nothing paid). Idempotent by `agentReference`:
   * the same request again answers the same booking; after a timeout, repeat it or `recall` it.
   */
  hold(booking: HoldRequest): Promise<OperatorBooking>;
  /** Turns a provisional booking into a sold one; repeating it answers the same booking. */
  confirm(ref: BookingRef): Promise<OperatorBooking>;
  /** The booking as it is now at the operator. */
  recall(ref: BookingRef): Promise<OperatorBooking>;
  /** What cancelling now would cost and refund. */
  cancelCharge(ref: BookingRef): Promise<CancelCharge>;
  /**
   * Cancels; with `expectedCharge`, only if the charge is still that (else refused CHARGE_CHANGED).
   * Repeating it answers the recorded cancellation and releases nothing twice.
   */
  cancel(ref: BookingRef, expectedCharge?: Money): Promise<CancelCharge>;
  /** The change feed after `since` (null: from the start), oldest first. */
  changes(since: string | null, limit?: number): Promise<ChangePage>;
}

export const connectorOperations = [
  "routes",
  "sailings",
  "price",
  "hold",
  "confirm",
  "recall",
  "cancelCharge",
  "cancel",
  "changes",
] as const;
export type ConnectorOperation = (typeof connectorOperations)[number];

export type { OperatorKind };

export interface RouteRef {
  from: string;
  to: string;
}

/** Who travels: counts by passenger type, the vehicle's type and the pets. */
export interface Party {
  adults: number;
  children?: number;
  infants?: number;
  vehicle?: VehicleType | null;
  pets?: number;
}

export interface OperatorPort {
  code: string;
  name: string;
  country: string;
  timeZone: string;
}

export interface OperatorRoute extends RouteRef {
  vesselName: string;
  durationMinutes: number;
  /** ISO weekdays of the local departure date (1 = Monday … 7 = Sunday). */
  weekdays: number[];
  /** Local departure time at `from`, HH:MM. */
  departureTime: string;
}

export interface OperatorNetwork {
  operatorCode: string;
  operatorName: string;
  ports: OperatorPort[];
  routes: OperatorRoute[];
  /** Local departure dates the operator sells. */
  window: { fromDate: string; toDate: string };
}

export interface ConnectedSailing extends RouteRef {
  operatorCode: string;
  /** The operator's id of the sailing: opaque, stable when the sailing is moved. */
  sailingRef: string;
  /** Local departure date at `from` (the day it was searched under). */
  localDate: string;
  departureAt: Date;
  arrivalAt: Date;
  durationMinutes: number;
  vesselName: string;
  /** SCHEDULED unless the operator cancelled it. */
  status: SailingStatus;
  /** Whether it can be booked now: false once sales close, once departed, or when cancelled. */
  onSale: boolean;
  /** True once the operator reports it departed. */
  departed: boolean;
}

export interface ClassOffer {
  accommodation: Accommodation;
  unit: "place" | "cabin";
  free: number;
  /** The whole party (vehicle and pets included) fits, and the sailing is on sale. */
  bookable: boolean;
  /** The party's total on this class at the operator's fare (before Traverse's markup). */
  total: Money;
}

export interface SailingOffer extends ConnectedSailing {
  /** Free units per resource: places, cabins, vehicle deck units, kennels. */
  free: Record<Resource, number>;
  classes: ClassOffer[];
}

export interface Selection {
  sailingRef: string;
  accommodation: Accommodation;
  party: Party;
}

export interface OperatorPriceLine {
  kind: "PASSENGER" | "VEHICLE" | "PET";
  passengerType?: PassengerType;
  vehicleType?: VehicleType;
  quantity: number;
  unitAmount: number;
  amount: number;
  currency: string;
}

export interface Quote {
  quoteId: string;
  sailingRef: string;
  accommodation: Accommodation;
  total: Money;
  lines: OperatorPriceLine[];
  validUntil: Date;
  /** Fits in what is free now (a later hold may still find it sold out). */
  available: boolean;
}

export interface HoldPassenger {
  type: PassengerType;
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD. */
  dateOfBirth?: string | null;
  /** ISO 3166 alpha-2. */
  nationality?: string | null;
  documentNumber?: string | null;
}

export interface HoldRequest {
  /** Traverse's reference for this leg at the operator: see `agentReferenceFor`. */
  agentReference: string;
  sailingRef: string;
  accommodation: Accommodation;
  passengers: HoldPassenger[];
  vehicle?: {
    type: VehicleType;
    registration: string;
    heightCm?: number | null;
    lengthCm?: number | null;
  } | null;
  pets?: number;
  /** From `price`: while valid, the operator honours its price. */
  quoteId?: string;
  /** The price Traverse expects to pay; anything else is refused PRICE_CHANGED with the new quote. */
  expectedTotal: Money;
}

/** One booking at an operator, by Traverse's reference, the operator's, or both. */
export type BookingRef =
  | { agentReference: string; operatorReference?: string }
  | { operatorReference: string; agentReference?: string };

export type OperatorBookingStatus =
  | "PROVISIONAL"
  | "CONFIRMED"
  | "EXPIRED"
  | "CANCELLED"
  | "CANCELLED_BY_OPERATOR";

export type CancelBand =
  | "PROVISIONAL"
  | "EXPIRED"
  | "MORE_THAN_7_DAYS"
  | "7_DAYS_TO_48_HOURS"
  | "LESS_THAN_48_HOURS"
  | "OPERATOR_CANCELLED";

export interface OperatorCancellation {
  band: CancelBand;
  percent: number;
  charge: Money;
  refund: Money;
  by: "AGENT" | "OPERATOR";
  at: Date;
}

export interface OperatorBooking {
  operatorCode: string;
  operatorReference: string;
  agentReference: string;
  status: OperatorBookingStatus;
  sailing: ConnectedSailing;
  accommodation: Accommodation;
  party: { adults: number; children: number; infants: number };
  vehicle: VehicleType | null;
  pets: number;
  total: Money;
  lines: OperatorPriceLine[];
  createdAt: Date;
  /** When a provisional booking lapses; null once confirmed or cancelled. */
  expiresAt: Date | null;
  confirmedAt: Date | null;
  cancellation: OperatorCancellation | null;
}

export interface CancelCharge {
  booking: OperatorBooking;
  band: CancelBand;
  percent: number;
  charge: Money;
  refund: Money;
}

interface ChangeBase extends RouteRef {
  /** Unique and stable: de-duplicate pushes and feed reads by it. */
  id: string;
  /** Resume the feed right after this change. */
  cursor: string;
  occurredAt: Date;
  /** Local departure dates whose sailings or fares changed (what to invalidate). */
  dates: string[];
}

export type OperatorChange = ChangeBase &
  (
    | {
        type: "SCHEDULE_CHANGED";
        sailingRef: string;
        previous: { departureAt: Date; arrivalAt: Date };
        current: { departureAt: Date; arrivalAt: Date };
      }
    | { type: "SAILING_CANCELLED"; sailingRef: string; reason: string; affectedBookings: number }
    | {
        type: "BOOKING_CANCELLED";
        sailingRef: string;
        operatorReference: string;
        agentReference: string;
        refund: Money;
      }
    | { type: "FARE_CHANGED"; sailingRef: string | null }
    /** A type this adapter does not know yet: skip it (its dates still say what may have changed). */
    | { type: "OTHER"; operatorType: string }
  );

export interface ChangePage {
  changes: OperatorChange[];
  /** Pass as `since` next time; equals `since` when nothing was new. */
  nextCursor: string;
  hasMore: boolean;
}

/** Traverse's reference for one leg of a booking at the operator, e.g. TRV-4K7QM9ZD-OUT. */
export function agentReferenceFor(bookingReference: string, direction: "OUTBOUND" | "RETURN"): string {
  return `${bookingReference}-${direction === "OUTBOUND" ? "OUT" : "RET"}`;
}
