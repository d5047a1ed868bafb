import type { Accommodation, Resource } from "@/server/db/schema/resources";
import { localDate } from "@/shared/dates";
import type { SailingId } from "@/shared/sailing-id";

/** What search answers for each sailing, own or connected. */

export const ACCOMMODATION_NAMES: Record<Accommodation, string> = {
  DECK: "Deck passage",
  SEAT: "Reclining seat",
  CABIN_INSIDE: "Inside cabin",
  CABIN_OUTSIDE: "Outside cabin",
};

export interface SailingOption {
  accommodation: Accommodation;
  name: string;
  total: { amount: number; currency: string };
  /** Price per passenger type for this party, then vehicle and pet supplements in `extras`. */
  perPassenger: { type: "adult" | "child" | "infant"; count: number; unitAmount: number; amount: number }[];
  extras: { kind: "vehicle" | "pet"; quantity: number; unitAmount: number; amount: number }[];
  /** Whether this party fits (places, cabins, vehicle space, kennels). */
  available: boolean;
  /** Places (or cabins for cabin classes) left in this class. */
  remaining: number;
  unit: "place" | "cabin";
  /** The resource that is short when `available` is false. */
  limitedBy: Resource | null;
}

export interface SailingResult {
  /** Own sailings: the row id (a number); connected: `<operator>:<its sailing id>` (src/shared/sailing-id.ts). */
  id: SailingId;
  /** Sold from Traverse's inventory (own) or through the operator's reservation system (connected). */
  source: "own" | "connected";
  departureAt: Date;
  arrivalAt: Date;
  departureTimeZone: string;
  arrivalTimeZone: string;
  from: { code: string; name: string };
  to: { code: string; name: string };
  durationMinutes: number;
  /** True when the arrival is on a later local calendar day than the departure. */
  overnight: boolean;
  operator: { code: string; name: string };
  vessel: { name: string };
  international: boolean;
  cancelled: boolean;
  soldOut: boolean;
  options: SailingOption[];
}

/** Where and when a sailing goes, the same for own and connected sailings (times are epoch ms). */
export function sailingTiming(
  from: { code: string; name: string; timeZone: string },
  to: { code: string; name: string; timeZone: string },
  departureMs: number,
  arrivalMs: number,
) {
  const departureAt = new Date(departureMs);
  const arrivalAt = new Date(arrivalMs);
  return {
    departureAt,
    arrivalAt,
    departureTimeZone: from.timeZone,
    arrivalTimeZone: to.timeZone,
    from: { code: from.code, name: from.name },
    to: { code: to.code, name: to.name },
    durationMinutes: Math.round((arrivalMs - departureMs) / 60_000),
    overnight: localDate(arrivalAt, to.timeZone) > localDate(departureAt, from.timeZone),
  };
}
