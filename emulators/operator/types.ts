// The wire contract of the operator reservation API (the JSON rendering of the FerryGateway flow),
// shared by the emulator and by Traverse's connector. Depends on zod only, so the app may import it.
// Request schemas live in schemas.ts; their TypeScript types are re-stated here beside the responses.
import type { z } from "zod";
import type {
  bookRequest,
  bookingRefRequest,
  cancelBookingRequest,
  getPriceRequest,
  getSailingsRequest,
  getServicesRequest,
  getTimeTablesRequest,
  partySchema,
  passengerSchema,
} from "./schemas";

export const operatorCodes = ["GNV", "GRM"] as const;
export type OperatorCode = (typeof operatorCodes)[number];

export const accommodations = ["DECK", "SEAT", "CABIN_INSIDE", "CABIN_OUTSIDE"] as const;
export type Accommodation = (typeof accommodations)[number];
export const resources = ["PASSENGER", ...accommodations, "VEHICLE", "KENNEL"] as const;
export type Resource = (typeof resources)[number];
export const passengerTypes = ["adult", "child", "infant"] as const;
export type PassengerType = (typeof passengerTypes)[number];
export const vehicleTypes = ["motorcycle", "car", "high_car", "camper"] as const;
export type VehicleType = (typeof vehicleTypes)[number];

/** Berths per cabin: a party takes ceil(non-infants / 4) cabins. */
export const CABIN_BERTHS = 4;
export const MAX_PARTY = 9;
export const MAX_PETS = 4;

export const operations = [
  "GetRoutes",
  "GetTimeTables",
  "GetSailings",
  "GetServices",
  "GetPrice",
  "Book",
  "ConfirmBooking",
  "RecallBooking",
  "GetCancelCharge",
  "CancelBooking",
  "GetChanges",
] as const;
export type Operation = (typeof operations)[number];

// ---------------------------------------------------------------- request types

export type Party = z.output<typeof partySchema>;
export type Passenger = z.output<typeof passengerSchema>;
export type GetRoutesRequest = Record<string, never>;
export type BookRequest = z.input<typeof bookRequest>;
export type BookingRefRequest = z.input<typeof bookingRefRequest>;
export type CancelBookingRequest = z.input<typeof cancelBookingRequest>;
export type GetTimeTablesRequest = z.input<typeof getTimeTablesRequest>;
export type GetSailingsRequest = z.input<typeof getSailingsRequest>;
export type GetServicesRequest = z.input<typeof getServicesRequest>;
export type GetPriceRequest = z.input<typeof getPriceRequest>;

// ---------------------------------------------------------------- responses

export interface Money {
  /** Integer minor units (cents). */
  amount: number;
  currency: string;
}

export interface PortView {
  code: string;
  name: string;
  country: string;
  timeZone: string;
}

export interface RouteView {
  from: string;
  to: string;
  vessel: string;
  durationMinutes: number;
  /** ISO weekdays of the local departure date (1 = Monday … 7 = Sunday). */
  weekdays: number[];
  /** Local departure time at `from`. */
  departureTime: string;
}
export interface GetRoutesResponse {
  operator: { code: OperatorCode; name: string };
  ports: PortView[];
  routes: RouteView[];
  /** Local dates (at each route's departure port) for which sailings exist. */
  window: { fromDate: string; toDate: string };
}

/** OPEN: on sale. CLOSED: sales closed before departure. DEPARTED. CANCELLED by the operator. */
export type SailingStatus = "OPEN" | "CLOSED" | "DEPARTED" | "CANCELLED";

export interface SailingView {
  sailingId: string;
  from: string;
  to: string;
  /** Local departure date and time at `from`. */
  departureDate: string;
  departureTime: string;
  /** UTC ISO 8601 instants. */
  departureAt: string;
  arrivalAt: string;
  durationMinutes: number;
  vessel: string;
  status: SailingStatus;
}
export interface GetTimeTablesResponse {
  from: string;
  to: string;
  departures: SailingView[];
}

/** Free units per resource: places, cabins (CABIN_*), vehicle deck units (VEHICLE), kennels. */
export type Availability = Record<Resource, number>;

export interface ClassOffer {
  accommodation: Accommodation;
  unit: "place" | "cabin";
  free: number;
  /** True when the whole party (+ vehicle, pets) fits and the sailing is OPEN. */
  bookable: boolean;
  /** Total for the requested party on this class, vehicle and pets included. */
  price: Money;
}
export interface SailingOffer extends SailingView {
  availability: Availability;
  classes: ClassOffer[];
}
export interface GetSailingsResponse {
  from: string;
  to: string;
  date: string;
  currency: string;
  sailings: SailingOffer[];
}

export interface GetServicesResponse {
  sailing: SailingView;
  currency: string;
  passengers: { free: number };
  accommodations: {
    accommodation: Accommodation;
    unit: "place" | "cabin";
    berths: number | null;
    free: number;
    fares: Record<PassengerType, number>;
  }[];
  vehicles: {
    type: VehicleType;
    units: number;
    maxHeightCm: number;
    maxLengthCm: number;
    fare: number;
  }[];
  vehicleDeck: { freeUnits: number };
  pets: { freeKennels: number; fare: number };
}

export interface PriceLine {
  kind: "passenger" | "vehicle" | "pet";
  passengerType?: PassengerType;
  vehicleType?: VehicleType;
  quantity: number;
  unitAmount: number;
  amount: number;
}
export interface GetPriceResponse {
  quoteId: string;
  sailingId: string;
  accommodation: Accommodation;
  total: Money;
  lines: PriceLine[];
  /** UTC ISO instant; Book with this quoteId before then and this price is honoured. */
  validUntil: string;
  /** Whether the selection fits in what is free right now (a later Book may still find it sold out). */
  available: boolean;
}

export type BookingStatus = "PROVISIONAL" | "CONFIRMED" | "EXPIRED" | "CANCELLED" | "CANCELLED_BY_OPERATOR";

export type CancelBand =
  | "PROVISIONAL"
  | "EXPIRED"
  | "MORE_THAN_7_DAYS"
  | "7_DAYS_TO_48_HOURS"
  | "LESS_THAN_48_HOURS"
  | "OPERATOR_CANCELLED";

export interface CancellationView {
  band: CancelBand;
  percent: number;
  charge: Money;
  refund: Money;
  by: "AGENT" | "OPERATOR";
  at: string;
}

export interface BookingView {
  operatorReference: string;
  agentReference: string;
  status: BookingStatus;
  sailing: SailingView;
  accommodation: Accommodation;
  party: { adults: number; children: number; infants: number };
  vehicle: { type: VehicleType } | null;
  pets: number;
  total: Money;
  lines: PriceLine[];
  createdAt: string;
  /** When a PROVISIONAL booking lapses unless confirmed; null once confirmed or cancelled. */
  expiresAt: string | null;
  confirmedAt: string | null;
  cancellation: CancellationView | null;
}
export interface BookingResponse {
  booking: BookingView;
}

export interface CancelChargeResponse {
  booking: BookingView;
  band: CancelBand;
  percent: number;
  charge: Money;
  refund: Money;
}

// ---------------------------------------------------------------- change feed

interface ChangeBase {
  /** Unique and stable; deliveries of the same change carry the same id. */
  id: string;
  /** Resume the feed after this change with `?since=<cursor>`. */
  cursor: string;
  operator: OperatorCode;
  occurredAt: string;
  from: string;
  to: string;
  /** Local departure dates (at `from`) whose sailings or fares changed. */
  dates: string[];
}
export interface ScheduleChanged extends ChangeBase {
  type: "SCHEDULE_CHANGED";
  sailingId: string;
  previous: { departureAt: string; arrivalAt: string };
  current: { departureAt: string; arrivalAt: string };
}
export interface SailingCancelled extends ChangeBase {
  type: "SAILING_CANCELLED";
  sailingId: string;
  reason: string;
  affectedBookings: number;
}
export interface BookingCancelled extends ChangeBase {
  type: "BOOKING_CANCELLED";
  sailingId: string;
  operatorReference: string;
  agentReference: string;
  status: "CANCELLED_BY_OPERATOR";
  refund: Money;
}
export interface FareChanged extends ChangeBase {
  type: "FARE_CHANGED";
  /** Set when only one sailing's fares changed. */
  sailingId: string | null;
}
export type Change = ScheduleChanged | SailingCancelled | BookingCancelled | FareChanged;
export type ChangeType = Change["type"];

export interface GetChangesResponse {
  changes: Change[];
  /** Pass as `since` next time; equals the `since` you sent when nothing new happened. */
  nextCursor: string;
  hasMore: boolean;
}

// ---------------------------------------------------------------- errors

export type OperatorErrorCode =
  | "UNAUTHORIZED"
  | "VALIDATION_ERROR"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
  | "ROUTE_NOT_FOUND"
  | "SAILING_NOT_FOUND"
  | "BOOKING_NOT_FOUND"
  | "QUOTE_MISMATCH"
  | "SOLD_OUT"
  | "PRICE_CHANGED"
  | "CHARGE_CHANGED"
  | "IDEMPOTENCY_CONFLICT"
  | "BOOKING_EXPIRED"
  | "BOOKING_CANCELLED"
  | "SAILING_CANCELLED"
  | "SAILING_DEPARTED"
  | "SALES_CLOSED"
  | "VEHICLE_TOO_LARGE"
  | "INVALID_CURSOR"
  | "CURSOR_EXPIRED"
  | "RATE_LIMITED"
  | "INTERNAL_ERROR"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE"
  | "GATEWAY_TIMEOUT";

export interface OperatorErrorBody {
  error: { code: OperatorErrorCode; message: string; details?: Record<string, unknown> };
}
