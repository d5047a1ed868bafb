import {
  type Accommodation,
  accommodations,
  type PassengerType,
  passengerTypes,
  type VehicleType,
  vehicleTypes,
} from "@/shared/constants";
import { ACCOMMODATION_NAMES, nameOf, PASSENGER_TYPE_NAMES, VEHICLE_NAMES } from "../format";

/** What one price is for: a passenger fare (class × passenger type), a vehicle supplement or the pet supplement. */
export type FareItem =
  | { kind: "PASSENGER"; accommodation: Accommodation; passengerType: PassengerType }
  | { kind: "VEHICLE"; vehicleType: VehicleType }
  | { kind: "PET" };

/** A fare row as the API returns it. */
export interface FareRow {
  kind: string;
  accommodation: string | null;
  passengerType: string | null;
  vehicleType: string | null;
}

export function itemLabel(f: FareRow): string {
  if (f.kind === "PASSENGER")
    return `${nameOf(ACCOMMODATION_NAMES, f.accommodation)}, ${nameOf(PASSENGER_TYPE_NAMES, f.passengerType)}`;
  if (f.kind === "VEHICLE") return `Vehicle supplement, ${nameOf(VEHICLE_NAMES, f.vehicleType)}`;
  return "Pet supplement";
}

export function itemOf(f: FareRow): FareItem {
  if (f.kind === "PASSENGER")
    return {
      kind: "PASSENGER",
      accommodation: f.accommodation as Accommodation,
      passengerType: f.passengerType as PassengerType,
    };
  if (f.kind === "VEHICLE") return { kind: "VEHICLE", vehicleType: f.vehicleType as VehicleType };
  return { kind: "PET" };
}

/** Every fare item a route can price, as a stable key for the override form's select. */
export const ITEM_KEYS: { key: string; item: FareItem; label: string }[] = [
  ...accommodations.flatMap((a) =>
    passengerTypes.map((p) => ({
      key: `P:${a}:${p}`,
      item: { kind: "PASSENGER", accommodation: a, passengerType: p } as FareItem,
      label: `${ACCOMMODATION_NAMES[a]}, ${PASSENGER_TYPE_NAMES[p]}`,
    })),
  ),
  ...vehicleTypes.map((v) => ({
    key: `V:${v}`,
    item: { kind: "VEHICLE", vehicleType: v } as FareItem,
    label: `Vehicle supplement, ${VEHICLE_NAMES[v]}`,
  })),
  { key: "PET", item: { kind: "PET" }, label: "Pet supplement" },
];
