import {
  type Accommodation,
  CABIN_BERTHS,
  type PassengerType,
  passengerTypes,
  type Resource,
  VEHICLE_TYPES,
  type VehicleType,
} from "@/server/db/schema/resources";

/** Prices in force for one sailing: the route's defaults with the sailing's overrides on top. */
export interface EffectiveFares {
  currency: string;
  passenger: Partial<Record<Accommodation, Partial<Record<PassengerType, number>>>>;
  vehicle: Partial<Record<VehicleType, number>>;
  pet: number | null;
}

export interface FareRow {
  sailingId: number | null;
  kind: "PASSENGER" | "VEHICLE" | "PET";
  accommodation: Accommodation | null;
  passengerType: PassengerType | null;
  vehicleType: VehicleType | null;
  amount: number;
  currency: string;
}

export function resolveFares(rows: FareRow[]): EffectiveFares {
  const out: EffectiveFares = { currency: rows[0]?.currency ?? "EUR", passenger: {}, vehicle: {}, pet: null };
  // Route defaults first, then overrides, so an override always wins.
  const ordered = [...rows].sort((a, b) => (a.sailingId === null ? 0 : 1) - (b.sailingId === null ? 0 : 1));
  for (const r of ordered) {
    if (r.kind === "PASSENGER" && r.accommodation && r.passengerType) {
      out.passenger[r.accommodation] = { ...out.passenger[r.accommodation], [r.passengerType]: r.amount };
    } else if (r.kind === "VEHICLE" && r.vehicleType) {
      out.vehicle[r.vehicleType] = r.amount;
    } else if (r.kind === "PET") {
      out.pet = r.amount;
    }
    out.currency = r.currency;
  }
  return out;
}

export interface Party {
  adults: number;
  children: number;
  infants: number;
}

export interface Extras {
  vehicleType?: VehicleType;
  pets?: number;
}

/** What a party takes from a sailing's inventory for an accommodation (see schema/resources.ts). */
export function requiredResources(party: Party, accommodation: Accommodation, extras: Extras = {}) {
  const people = party.adults + party.children + party.infants;
  const seated = party.adults + party.children;
  const need: Partial<Record<Resource, number>> = { PASSENGER: people };
  need[accommodation] = accommodation.startsWith("CABIN") ? Math.ceil(seated / CABIN_BERTHS) : seated;
  if (extras.vehicleType) need.VEHICLE = VEHICLE_TYPES[extras.vehicleType].units;
  if (extras.pets) need.KENNEL = extras.pets;
  return need;
}

export interface QuoteLine {
  kind: "passenger" | "vehicle" | "pet";
  passengerType?: PassengerType;
  vehicleType?: VehicleType;
  quantity: number;
  unitAmount: number;
  amount: number;
}

export interface Quote {
  lines: QuoteLine[];
  total: number;
  currency: string;
}

/** Prices a party on one accommodation; null when a needed fare is not on sale. */
export function quote(
  fares: EffectiveFares,
  party: Party,
  accommodation: Accommodation,
  extras: Extras = {},
): Quote | null {
  const table = fares.passenger[accommodation];
  if (!table) return null;
  const lines: QuoteLine[] = [];
  const counts: Record<PassengerType, number> = {
    adult: party.adults,
    child: party.children,
    infant: party.infants,
  };
  for (const type of passengerTypes) {
    const quantity = counts[type];
    if (quantity === 0) continue;
    const unit = table[type];
    if (unit === undefined) return null;
    lines.push({
      kind: "passenger",
      passengerType: type,
      quantity,
      unitAmount: unit,
      amount: unit * quantity,
    });
  }
  if (extras.vehicleType) {
    const unit = fares.vehicle[extras.vehicleType];
    if (unit === undefined) return null;
    lines.push({
      kind: "vehicle",
      vehicleType: extras.vehicleType,
      quantity: 1,
      unitAmount: unit,
      amount: unit,
    });
  }
  if (extras.pets) {
    if (fares.pet === null) return null;
    lines.push({
      kind: "pet",
      quantity: extras.pets,
      unitAmount: fares.pet,
      amount: fares.pet * extras.pets,
    });
  }
  return { lines, total: lines.reduce((s, l) => s + l.amount, 0), currency: fares.currency };
}
