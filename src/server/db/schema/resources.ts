/**
 * What a booking consumes on a sailing. Each is one inventory row per sailing so that holding is a
 * single conditional UPDATE per resource (features/booking/inventory.ts).
 *
 * - PASSENGER: everyone on board, infants included (the vessel's certified passenger count).
 * - DECK, SEAT: one place per non-infant passenger (infants sit on a lap).
 * - CABIN_INSIDE, CABIN_OUTSIDE: whole cabins of up to CABIN_BERTHS berths; a party takes as many cabins as it needs.
 * - VEHICLE: garage space in units (a car is 2, see VEHICLE_TYPES).
 * - KENNEL: one per pet.
 */
export const accommodations = ["DECK", "SEAT", "CABIN_INSIDE", "CABIN_OUTSIDE"] as const;
export type Accommodation = (typeof accommodations)[number];

export const resources = ["PASSENGER", ...accommodations, "VEHICLE", "KENNEL"] as const;
export type Resource = (typeof resources)[number];

/** Fixed lock order for conditional updates: every transaction takes rows in this order, so no deadlocks. */
export const resourceOrder: Record<Resource, number> = Object.fromEntries(
  resources.map((r, i) => [r, i]),
) as Record<Resource, number>;

export const CABIN_BERTHS = 4;

export const passengerTypes = ["adult", "child", "infant"] as const;
export type PassengerType = (typeof passengerTypes)[number];

export const vehicleTypes = ["motorcycle", "car", "high_car", "camper"] as const;
export type VehicleType = (typeof vehicleTypes)[number];

/** Class limits: port and ship surcharges depend on height and length, so the class must be right. */
export const VEHICLE_TYPES: Record<VehicleType, { units: number; maxHeightCm: number; maxLengthCm: number }> =
  {
    motorcycle: { units: 1, maxHeightCm: 160, maxLengthCm: 250 },
    car: { units: 2, maxHeightCm: 190, maxLengthCm: 500 },
    high_car: { units: 3, maxHeightCm: 250, maxLengthCm: 600 },
    camper: { units: 5, maxHeightCm: 350, maxLengthCm: 900 },
  };
