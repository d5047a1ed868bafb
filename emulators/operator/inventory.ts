// Places on one sailing, per resource, with the same accounting as Traverse's own inventory:
// free = capacity − presold − held − sold − blocked, never negative. `presold` stands for the
// operator's other sales channels (deterministic from the seed), `blocked` for what the control API
// withdrew from sale (sold-out, availability).
import { hashUnit } from "./rng";
import {
  type Accommodation,
  CABIN_BERTHS,
  type Party,
  type Resource,
  resources,
  type VehicleType,
} from "./types";

export interface InventoryRow {
  capacity: number;
  presold: number;
  held: number;
  sold: number;
  blocked: number;
}
export type Inventory = Record<Resource, InventoryRow>;
export type Need = Partial<Record<Resource, number>>;

export const VEHICLE_CLASSES: Record<
  VehicleType,
  { units: number; maxHeightCm: number; maxLengthCm: number }
> = {
  motorcycle: { units: 1, maxHeightCm: 160, maxLengthCm: 250 },
  car: { units: 2, maxHeightCm: 190, maxLengthCm: 500 },
  high_car: { units: 3, maxHeightCm: 250, maxLengthCm: 600 },
  camper: { units: 5, maxHeightCm: 350, maxLengthCm: 900 },
};

/** Average occupancy of a cabin sold elsewhere, used only to derive presold passengers. */
const PRESOLD_CABIN_OCCUPANCY = 3;

/**
 * A fresh inventory: each resource presold up to `load` of its capacity (a stable fraction per
 * sailing and resource), and passengers presold consistently with the places presold.
 */
export function newInventory(
  capacities: Record<Resource, number>,
  seed: number,
  sailingId: string,
  load: number,
): Inventory {
  const presold = (resource: Resource) =>
    Math.floor(capacities[resource] * load * hashUnit(seed, `${sailingId}/${resource}`));
  const inventory = {} as Inventory;
  for (const resource of resources) {
    inventory[resource] = { capacity: capacities[resource], presold: 0, held: 0, sold: 0, blocked: 0 };
  }
  for (const resource of resources) {
    if (resource !== "PASSENGER") inventory[resource].presold = presold(resource);
  }
  const people =
    inventory.DECK.presold +
    inventory.SEAT.presold +
    (inventory.CABIN_INSIDE.presold + inventory.CABIN_OUTSIDE.presold) * PRESOLD_CABIN_OCCUPANCY;
  inventory.PASSENGER.presold = Math.min(people, Math.floor(capacities.PASSENGER * 0.9));
  return inventory;
}

export function free(row: InventoryRow): number {
  return Math.max(0, row.capacity - row.presold - row.held - row.sold - row.blocked);
}

export function freeAll(inventory: Inventory): Record<Resource, number> {
  const out = {} as Record<Resource, number>;
  for (const resource of resources) out[resource] = free(inventory[resource]);
  return out;
}

/** What a party takes: everyone a PASSENGER place; non-infants a place or cabin berths; vehicle units; kennels. */
export function needFor(
  party: Party,
  accommodation: Accommodation,
  vehicleType: VehicleType | undefined,
  pets: number,
): Need {
  const seated = party.adults + party.children;
  const need: Need = { PASSENGER: seated + party.infants };
  need[accommodation] = accommodation.startsWith("CABIN") ? Math.ceil(seated / CABIN_BERTHS) : seated;
  if (vehicleType) need.VEHICLE = VEHICLE_CLASSES[vehicleType].units;
  if (pets > 0) need.KENNEL = pets;
  return need;
}

/** The first resource that cannot cover `need`, or null when everything fits. */
export function shortfall(inventory: Inventory, need: Need): Resource | null {
  for (const resource of resources) {
    const quantity = need[resource] ?? 0;
    if (quantity > 0 && free(inventory[resource]) < quantity) return resource;
  }
  return null;
}

/** free → held. Callers check `shortfall` first; this refuses rather than overbook. */
export function hold(inventory: Inventory, need: Need): void {
  const short = shortfall(inventory, need);
  if (short) throw new Error(`cannot hold ${short}: not enough free`);
  for (const resource of resources) inventory[resource].held += need[resource] ?? 0;
}

/** held → sold (a provisional booking is confirmed). */
export function confirmHeld(inventory: Inventory, need: Need): void {
  move(inventory, need, "held", "sold");
}

/** held or sold → free (expiry, cancellation). */
export function release(inventory: Inventory, need: Need, from: "held" | "sold"): void {
  move(inventory, need, from, null);
}

/**
 * Moves quantities between columns, all or nothing. Like the CHECK on Traverse's own inventory
 * table, a column never goes negative: releasing what was never taken is a bug, not a no-op.
 */
function move(inventory: Inventory, need: Need, from: "held" | "sold", to: "held" | "sold" | null): void {
  for (const resource of resources) {
    if (inventory[resource][from] < (need[resource] ?? 0)) {
      throw new Error(`inventory invariant: ${resource}.${from} would go negative`);
    }
  }
  for (const resource of resources) {
    const quantity = need[resource] ?? 0;
    inventory[resource][from] -= quantity;
    if (to) inventory[resource][to] += quantity;
  }
}

/** Blocks what is free so exactly `left` units remain free (never unblocks below what is taken). */
export function setFree(row: InventoryRow, left: number): void {
  const taken = row.presold + row.held + row.sold;
  row.blocked = Math.max(0, row.capacity - taken - left);
}

export const RESOURCE_WORDS: Record<Resource, string> = {
  PASSENGER: "passenger places",
  DECK: "deck places",
  SEAT: "reclining seats",
  CABIN_INSIDE: "inside cabins",
  CABIN_OUTSIDE: "outside cabins",
  VEHICLE: "vehicle deck space",
  KENNEL: "kennels",
};
