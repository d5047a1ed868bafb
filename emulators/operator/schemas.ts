// Request schemas of the operator reservation API (zod). The emulator validates every request with
// them; Traverse's connector may validate what it sends with them too. Depends on zod only.
import { z } from "zod";
import { accommodations, MAX_PARTY, MAX_PETS, passengerTypes, vehicleTypes } from "./types";

function isRealDate(date: string): boolean {
  const t = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === date;
}
const isoDate = z
  .string({ error: "Give a date written like 2026-12-04." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Give a date written like 2026-12-04.")
  .refine(isRealDate, "That date does not exist in the calendar.");
const portCode = z
  .string({ error: "Give a three-letter port code such as TUN." })
  .regex(/^[A-Z]{3}$/, "Give a three-letter port code such as TUN.");
const count = (label: string, max: number) =>
  z
    .number({ error: `Give the number of ${label} as a whole number.` })
    .int(`Give the number of ${label} as a whole number.`)
    .min(0, `The number of ${label} cannot be negative.`)
    .max(max, `At most ${max} ${label}.`);

export const partySchema = z
  .strictObject({
    adults: count("adults", MAX_PARTY).min(1, "At least one adult (12 or older) must travel."),
    children: count("children", MAX_PARTY).default(0),
    infants: count("infants", MAX_PARTY).default(0),
  })
  .refine((p) => p.infants <= p.adults, {
    message: "Each infant travels on an adult's lap: at most one infant per adult.",
    path: ["infants"],
  })
  .refine((p) => p.adults + p.children + p.infants <= MAX_PARTY, {
    message: `At most ${MAX_PARTY} people per booking.`,
    path: ["adults"],
  });

const accommodation = z.enum(accommodations, {
  error: `accommodation must be one of ${accommodations.join(", ")}.`,
});
const vehicleType = z.enum(vehicleTypes, {
  error: `vehicle type must be one of ${vehicleTypes.join(", ")}.`,
});
const sailingIdField = z.string({ error: "Give the sailingId." }).min(1, "Give the sailingId.").max(64);
const pets = count("pets", MAX_PETS).default(0);

export const getRoutesRequest = z.strictObject({});
export const getTimeTablesRequest = z.strictObject({
  from: portCode,
  to: portCode,
  fromDate: isoDate,
  toDate: isoDate,
});
export const getSailingsRequest = z.strictObject({
  from: portCode,
  to: portCode,
  /** Local departure date at `from`. */
  date: isoDate,
  passengers: partySchema,
  vehicle: z.strictObject({ type: vehicleType }).optional(),
  pets,
});
export const getServicesRequest = z.strictObject({ sailingId: sailingIdField });
export const getPriceRequest = z.strictObject({
  sailingId: sailingIdField,
  accommodation,
  passengers: partySchema,
  vehicle: z.strictObject({ type: vehicleType }).optional(),
  pets,
});

const personName = (label: string) =>
  z
    .string({ error: `Give the ${label}.` })
    .trim()
    .min(1, `Give the ${label}.`)
    .max(60, `The ${label} is too long (60 characters at most).`)
    .regex(/^[\p{L}\p{M}' .-]+$/u, `The ${label} may hold only letters, spaces, hyphens and apostrophes.`);

export const passengerSchema = z.strictObject({
  type: z.enum(passengerTypes, { error: "Passenger type must be adult, child or infant." }),
  firstName: personName("first name"),
  lastName: personName("last name"),
  dateOfBirth: isoDate.optional(),
  nationality: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Give the nationality as a two-letter country code, e.g. TN.")
    .optional(),
  documentNumber: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{5,20}$/, "The document number must be 5 to 20 letters and digits.")
    .optional(),
});

export const bookVehicleSchema = z.strictObject({
  type: vehicleType,
  registration: z
    .string({ error: "Give the vehicle's registration." })
    .trim()
    .toUpperCase()
    .regex(
      /^[A-Z0-9][A-Z0-9 -]{1,13}$/,
      "Give the registration as on the plate (letters, digits, spaces, hyphens).",
    ),
  heightCm: z.number().int().min(50).max(500).optional(),
  lengthCm: z.number().int().min(100).max(2000).optional(),
});

export const agentReference = z
  .string({ error: "Give the agentReference." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,39}$/, "agentReference must be 3 to 40 letters, digits and hyphens.");

const money = z.strictObject({
  amount: z.number().int("amount is in minor units (cents), a whole number.").min(0),
  currency: z.string().regex(/^[A-Z]{3}$/, "currency is an ISO 4217 code such as EUR."),
});

export const bookRequest = z
  .strictObject({
    agentReference,
    sailingId: sailingIdField,
    accommodation,
    passengers: z
      .array(passengerSchema)
      .min(1, "Add at least one passenger.")
      .max(MAX_PARTY, `At most ${MAX_PARTY} passengers.`),
    vehicle: bookVehicleSchema.optional(),
    pets,
    /** From GetPrice: while valid, its price is honoured even if fares changed since. */
    quoteId: z.string().min(1).max(64).optional(),
    /** What the agent expects to pay; a different current price is refused with PRICE_CHANGED. */
    expectedTotal: money,
  })
  .refine((b) => b.passengers.some((p) => p.type === "adult"), {
    message: "At least one adult (12 or older) must travel.",
    path: ["passengers"],
  })
  .refine(
    (b) =>
      b.passengers.filter((p) => p.type === "infant").length <=
      b.passengers.filter((p) => p.type === "adult").length,
    {
      message: "Each infant travels on an adult's lap: at most one infant per adult.",
      path: ["passengers"],
    },
  );

/** Names one booking: by the operator's reference, the agent's, or both (then they must match). */
export const bookingRefRequest = z
  .strictObject({
    operatorReference: z.string().trim().toUpperCase().min(1).max(40).optional(),
    agentReference: agentReference.optional(),
  })
  .refine((r) => r.operatorReference !== undefined || r.agentReference !== undefined, {
    message: "Give operatorReference or agentReference.",
  });

export const cancelBookingRequest = z
  .strictObject({
    operatorReference: z.string().trim().toUpperCase().min(1).max(40).optional(),
    agentReference: agentReference.optional(),
    /** From GetCancelCharge: if the charge is now different (a band boundary passed), CHARGE_CHANGED. */
    expectedCharge: money.optional(),
  })
  .refine((r) => r.operatorReference !== undefined || r.agentReference !== undefined, {
    message: "Give operatorReference or agentReference.",
  });
