/**
 * The booking vocabulary and the online limits, in one place for the database schema
 * (`src/server/db/schema/resources.ts` re-exports the lists), the server's input schemas and the pages.
 * Client-safe: no imports.
 */

/** Where a passenger travels: the classes sold per sailing. */
export const accommodations = ["DECK", "SEAT", "CABIN_INSIDE", "CABIN_OUTSIDE"] as const;
export type Accommodation = (typeof accommodations)[number];

/** Adult 12 and older, child 4–11, infant 0–3 (on an adult's lap), counted on the day of departure. */
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

/** Online bookings are capped like the operators' own sites; bigger groups go through the group desk. */
export const MAX_PARTY = 9;
export const MAX_PETS = 4;
