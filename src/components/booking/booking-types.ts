import type { SailingId } from "@/shared/sailing-id";

/**
 * What the booking page hands its client component: everything formatted on the server (dates, zones, money),
 * so the browser never re-formats and the two ICU builds cannot disagree.
 */
export interface Endpoint {
  time: string;
  date: string;
  /** "Tunis time" */
  zone: string;
  /** "GMT+1" */
  offset: string;
  port: string;
}

export interface TripLegView {
  key: "out" | "ret";
  sailingId: SailingId;
  accommodation: string;
  heading: string;
  dep: Endpoint;
  arr: Endpoint;
  dayShift: string;
  duration: string;
  operator: string;
  vessel: string;
  accommodationLabel: string;
  accommodationHint: string;
  lines: { label: string; amount: string }[];
  total: string;
  amount: number;
  currency: string;
  /** Why this leg cannot be booked as chosen (sold out for this party, cancelled…); null when fine. */
  problem: string | null;
}

export interface VehicleClassView {
  type: "motorcycle" | "car" | "high_car" | "camper";
  label: string;
  limits: string;
  maxHeightCm: number;
  maxLengthCm: number;
}

export interface BookingRequestView {
  out: string;
  ret: string | null;
  adults: number;
  children: number;
  infants: number;
  vehicle: VehicleClassView["type"] | null;
  pets: number;
}

export interface BookingPageData {
  request: BookingRequestView;
  legs: TripLegView[];
  total: string | null;
  partyLabel: string;
  departureDate: string;
  departureLabel: string;
  international: boolean;
  policy: string;
  searchQuery: Record<string, string>;
  countries: { frequent: { code: string; name: string }[]; all: { code: string; name: string }[] };
  vehicleClasses: VehicleClassView[];
}
