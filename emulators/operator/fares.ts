// Fares, derived from each route's base (adult deck) fare with the same rules seedDatabase uses in
// src/server/seed/seed.ts, so connected and own operators price alike: class factors, children 60 %
// of the adult fare, infants a flat port-tax fare, vehicle factors, a flat pet fare. All amounts are
// whole euros in cents. The control API can override a route's or a sailing's fares.
import {
  type Accommodation,
  accommodations,
  type Party,
  type PassengerType,
  type PriceLine,
  passengerTypes,
  type VehicleType,
  vehicleTypes,
} from "./types";

export const CURRENCY = "EUR";

export const ACCOMMODATION_FACTOR: Record<Accommodation, number> = {
  DECK: 1,
  SEAT: 1.2,
  CABIN_INSIDE: 1.65,
  CABIN_OUTSIDE: 1.95,
};
export const VEHICLE_FACTOR: Record<VehicleType, number> = {
  motorcycle: 0.7,
  car: 1.45,
  high_car: 2.1,
  camper: 3,
};
export const CHILD_FACTOR = 0.6;
/** Infants travel on a lap: port tax only, on every class. */
export const INFANT_FARE = 1_500;
export const PET_FARE = 4_500;

const roundEuro = (cents: number) => Math.round(cents / 100) * 100;

export type FareKey = `passenger:${Accommodation}:${PassengerType}` | `vehicle:${VehicleType}` | "pet";

/** A change on top of the timetable's fares: a new base (everything re-derived) and/or single fares. */
export interface FareOverride {
  base?: number;
  lines: Partial<Record<FareKey, number>>;
}

export function derivedFare(base: number, key: FareKey): number {
  if (key === "pet") return PET_FARE;
  const [kind, a, b] = key.split(":") as [string, string, string | undefined];
  if (kind === "vehicle") return roundEuro(base * VEHICLE_FACTOR[a as VehicleType]);
  const adult = roundEuro(base * ACCOMMODATION_FACTOR[a as Accommodation]);
  if (b === "adult") return adult;
  if (b === "child") return roundEuro(adult * CHILD_FACTOR);
  return INFANT_FARE;
}

export type FareLookup = (key: FareKey) => number;

/** Sailing override, then route override, then derived from the newest base in that order. */
export function fareLookup(routeBase: number, route?: FareOverride, sailing?: FareOverride): FareLookup {
  const base = sailing?.base ?? route?.base ?? routeBase;
  return (key) => {
    const explicit = sailing?.lines[key] ?? (sailing?.base === undefined ? route?.lines[key] : undefined);
    return explicit ?? derivedFare(base, key);
  };
}

export interface Priced {
  total: number;
  currency: string;
  lines: PriceLine[];
}

export function price(
  fare: FareLookup,
  party: Party,
  accommodation: Accommodation,
  vehicleType: VehicleType | undefined,
  pets: number,
): Priced {
  const lines: PriceLine[] = [];
  const counts: Record<PassengerType, number> = {
    adult: party.adults,
    child: party.children,
    infant: party.infants,
  };
  for (const type of passengerTypes) {
    if (counts[type] === 0) continue;
    const unit = fare(`passenger:${accommodation}:${type}`);
    lines.push({
      kind: "passenger",
      passengerType: type,
      quantity: counts[type],
      unitAmount: unit,
      amount: unit * counts[type],
    });
  }
  if (vehicleType) {
    const unit = fare(`vehicle:${vehicleType}`);
    lines.push({ kind: "vehicle", vehicleType, quantity: 1, unitAmount: unit, amount: unit });
  }
  if (pets > 0) {
    const unit = fare("pet");
    lines.push({ kind: "pet", quantity: pets, unitAmount: unit, amount: unit * pets });
  }
  return { total: lines.reduce((sum, line) => sum + line.amount, 0), currency: CURRENCY, lines };
}

export function passengerFares(
  fare: FareLookup,
  accommodation: Accommodation,
): Record<PassengerType, number> {
  return {
    adult: fare(`passenger:${accommodation}:adult`),
    child: fare(`passenger:${accommodation}:child`),
    infant: fare(`passenger:${accommodation}:infant`),
  };
}

export const FARE_KEYS: FareKey[] = [
  ...accommodations.flatMap((a) => passengerTypes.map((t) => `passenger:${a}:${t}` as FareKey)),
  ...vehicleTypes.map((v) => `vehicle:${v}` as FareKey),
  "pet",
];
