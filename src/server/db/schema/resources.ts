/**
 * What a booking consumes on a sailing. Each is one inventory row per sailing so that holding is a
 * single conditional UPDATE per resource (features/booking/inventory.ts).
 *
 * - PASSENGER: everyone on board, infants included (the vessel's certified passenger count).
 * - DECK, SEAT: one place per non-infant passenger (infants sit on a lap).
 * - CABIN_INSIDE, CABIN_OUTSIDE: whole cabins of up to CABIN_BERTHS berths; a party takes as many cabins as it needs.
 * - VEHICLE: garage space in units (a car is 2, see VEHICLE_TYPES).
 * - KENNEL: one per pet.
 *
 * The lists themselves live in `src/shared/constants.ts`, which the pages import too; a relative import,
 * because drizzle-kit loads this file without the `@/` alias.
 */
import { accommodations } from "../../../shared/constants";

export {
  type Accommodation,
  accommodations,
  type PassengerType,
  passengerTypes,
  VEHICLE_TYPES,
  type VehicleType,
  vehicleTypes,
} from "../../../shared/constants";

export const resources = ["PASSENGER", ...accommodations, "VEHICLE", "KENNEL"] as const;
export type Resource = (typeof resources)[number];

/** Fixed lock order for conditional updates: every transaction takes rows in this order, so no deadlocks. */
export const resourceOrder: Record<Resource, number> = Object.fromEntries(
  resources.map((r, i) => [r, i]),
) as Record<Resource, number>;

export const CABIN_BERTHS = 4;
