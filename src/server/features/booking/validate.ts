import { VEHICLE_TYPES } from "@/server/db/schema/resources";
import type { Party } from "@/server/features/pricing/quote";
import { AppError } from "@/server/lib/errors";
import { ageOn } from "@/shared/dates";
import type { CreateBookingInput } from "./input";

/** What `createBooking` checks before it holds anything: the sailings are on sale, the party is who it says. */

/** Online sales close this long before departure: check-in and boarding need the time. */
export const SALES_CLOSE_MINUTES = 60;

export function checkSailingOnSale(s: { status: string; departureAt: Date }, which: string, now: Date) {
  if (s.status === "CANCELLED") {
    throw new AppError(
      "SAILING_CANCELLED",
      `The ${which} sailing has been cancelled. Choose another sailing.`,
      {
        field: which,
      },
    );
  }
  if (s.departureAt.getTime() - SALES_CLOSE_MINUTES * 60_000 <= now.getTime()) {
    throw new AppError(
      "SALES_CLOSED",
      `The ${which} sailing has departed or closes for sale within the hour. Choose a later one.`,
      {
        field: which,
      },
    );
  }
}

export function validatePassengers(
  input: CreateBookingInput,
  departureDate: string,
  international: boolean,
): Party {
  const party: Party = { adults: 0, children: 0, infants: 0 };
  input.passengers.forEach((p, i) => {
    const field = `passengers.${i}`;
    if (p.type !== "adult" && !p.dateOfBirth) {
      throw new AppError(
        "BAD_REQUEST",
        `Passenger ${i + 1}: give the date of birth of children and infants.`,
        { field },
      );
    }
    if (p.dateOfBirth) {
      if (p.dateOfBirth > departureDate) {
        throw new AppError("BAD_REQUEST", `Passenger ${i + 1}: the date of birth is after the departure.`, {
          field,
        });
      }
      const age = ageOn(p.dateOfBirth, departureDate);
      const ok = p.type === "infant" ? age < 4 : p.type === "child" ? age >= 4 && age < 12 : age >= 12;
      if (!ok) {
        const want = p.type === "infant" ? "under 4" : p.type === "child" ? "4 to 11" : "12 or older";
        throw new AppError(
          "BAD_REQUEST",
          `Passenger ${i + 1} is ${age} on the day of departure, but a${p.type === "adult" ? "n" : ""} ${p.type} must be ${want}. Change the passenger type.`,
          { field },
        );
      }
    }
    if (international && (!p.nationality || !p.documentNumber)) {
      throw new AppError(
        "BAD_REQUEST",
        `Passenger ${i + 1}: this crossing is international, so nationality and passport or ID number are required.`,
        { field },
      );
    }
    if (p.type === "adult") party.adults++;
    else if (p.type === "child") party.children++;
    else party.infants++;
  });
  return party;
}

export function validateVehicle(v: NonNullable<CreateBookingInput["vehicle"]>) {
  const limits = VEHICLE_TYPES[v.type];
  const over = (what: string, value: number, max: number) =>
    new AppError(
      "VEHICLE_CLASS",
      `A ${v.type.replace("_", " ")} may be at most ${max / 100} m ${what}; yours is ${value / 100} m. Choose the larger vehicle class: ports charge by size.`,
      { field: "vehicle" },
    );
  if (v.heightCm !== undefined && v.heightCm > limits.maxHeightCm)
    throw over("high", v.heightCm, limits.maxHeightCm);
  if (v.lengthCm !== undefined && v.lengthCm > limits.maxLengthCm)
    throw over("long", v.lengthCm, limits.maxLengthCm);
}
