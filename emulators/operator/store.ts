// Everything the emulator remembers, in memory. Sailing state is created the first time a sailing is
// looked at (the timetable itself is computed, see network.ts), so a 120-day window costs nothing.
import type { FareOverride } from "./fares";
import type { Inventory, Need } from "./inventory";
import type {
  Accommodation,
  BookingStatus,
  CancellationView,
  Party,
  Passenger,
  PriceLine,
  VehicleType,
} from "./types";

export interface SailingState {
  inventory: Inventory;
  cancelled: { reason: string; at: number } | null;
  /** Set when the operator moved the departure; the sailing keeps its id. */
  movedDepartureMs: number | null;
  fares: FareOverride | undefined;
}

export interface Quote {
  id: string;
  sailingId: string;
  accommodation: Accommodation;
  /** Canonical JSON of what was priced; a Book must price the same thing to use the quote. */
  selection: string;
  total: number;
  currency: string;
  lines: PriceLine[];
  validUntil: number;
}

export interface BookedVehicle {
  type: VehicleType;
  registration: string;
  heightCm?: number;
  lengthCm?: number;
}

export interface Booking {
  operatorReference: string;
  agentReference: string;
  /** Canonical JSON of the Book request's content, for idempotent replays. */
  fingerprint: string;
  sailingId: string;
  accommodation: Accommodation;
  party: Party;
  passengers: Passenger[];
  vehicle: BookedVehicle | null;
  pets: number;
  need: Need;
  total: number;
  currency: string;
  lines: PriceLine[];
  quoteId: string | null;
  status: BookingStatus;
  createdAt: number;
  expiresAt: number;
  confirmedAt: number | null;
  cancellation: CancellationView | null;
}

export class Store {
  readonly sailings = new Map<string, SailingState>();
  /** Route key (e.g. TUNGOA) → fare override for every sailing of that route. */
  readonly routeFares = new Map<string, FareOverride>();
  /** Operator reference → booking, in creation order. */
  readonly bookings = new Map<string, Booking>();
  /** Agent reference → operator reference. */
  readonly byAgent = new Map<string, string>();
  readonly quotes = new Map<string, Quote>();

  reset(): void {
    this.sailings.clear();
    this.routeFares.clear();
    this.bookings.clear();
    this.byAgent.clear();
    this.quotes.clear();
  }
}
