import { z } from "zod";
import { locales } from "@/server/db/schema/bookings";
import { accommodations, MAX_PARTY, MAX_PETS, passengerTypes, vehicleTypes } from "@/shared/constants";
import {
  COUNTRY_RE,
  DOCUMENT_RE,
  EMAIL_MAX,
  emailAddress,
  infantsWithinAdults,
  NAME_MAX,
  PHONE_RE,
  personName,
  REGISTRATION_RE,
  VEHICLE_HEIGHT_CM,
  VEHICLE_LENGTH_CM,
} from "@/shared/validation";
import { isoDate } from "@/server/lib/inputs";
import { parseSailingId } from "@/shared/sailing-id";

const nameOf = (label: string) =>
  personName({
    required: `Enter the ${label} as written on the travel document.`,
    tooLong: `The ${label} is too long (${NAME_MAX} characters at most).`,
    chars: `Use only letters, spaces, hyphens and apostrophes in the ${label}.`,
  });

/** Whatever search returns: an own sailing's row id, or a connected operator's "GNV:<its id>". */
export const sailingIdInput = z.union(
  [z.number().int().positive(), z.string().refine((s) => parseSailingId(s)?.source === "connected")],
  { error: "Choose a sailing." },
);

export const legInput = z.object({
  sailingId: sailingIdInput,
  accommodation: z.enum(accommodations, {
    error: `Accommodation must be one of: ${accommodations.join(", ")}.`,
  }),
});

export const passengerInput = z.object({
  type: z.enum(passengerTypes, { error: "Passenger type must be adult, child or infant." }),
  firstName: nameOf("first name"),
  lastName: nameOf("last name"),
  dateOfBirth: isoDate.optional(),
  nationality: z
    .string()
    .trim()
    .toUpperCase()
    .regex(COUNTRY_RE, "Give the nationality as a two-letter country code, e.g. TN or FR.")
    .optional(),
  documentNumber: z
    .string()
    .trim()
    .toUpperCase()
    .regex(DOCUMENT_RE, "The passport or ID number should be 5 to 20 letters and digits.")
    .optional(),
});

export const vehicleInput = z.object({
  type: z.enum(vehicleTypes, { error: `Vehicle type must be one of: ${vehicleTypes.join(", ")}.` }),
  registration: z
    .string({ error: "Enter the vehicle's registration." })
    .trim()
    .toUpperCase()
    .regex(REGISTRATION_RE, "Enter the registration as on the plate (letters, digits, spaces, hyphens)."),
  heightCm: z
    .number()
    .int()
    .min(VEHICLE_HEIGHT_CM.min, "Height looks too small: give it in centimetres.")
    .max(VEHICLE_HEIGHT_CM.max)
    .optional(),
  lengthCm: z
    .number()
    .int()
    .min(VEHICLE_LENGTH_CM.min, "Length looks too small: give it in centimetres.")
    .max(VEHICLE_LENGTH_CM.max)
    .optional(),
});

const countOf = (passengers: { type: string }[], type: string) =>
  passengers.filter((p) => p.type === type).length;

export const createBookingInput = z
  .object({
    outbound: legInput,
    return: legInput.optional(),
    passengers: z
      .array(passengerInput)
      .min(1, "Add at least one passenger.")
      .max(MAX_PARTY, `At most ${MAX_PARTY} people can book together online.`),
    vehicle: vehicleInput.optional(),
    pets: z.number().int().min(0).max(MAX_PETS, `At most ${MAX_PETS} pets per booking.`).default(0),
    contact: z.object({
      email: emailAddress("Enter a valid email address: your tickets are sent there.").toLowerCase(),
      phone: z
        .string()
        .trim()
        .regex(PHONE_RE, "Enter a phone number with its country code, e.g. +216 71 000 000.")
        .optional(),
    }),
    /** The language of the booking's emails and pages. */
    locale: z.enum(locales).default("en"),
  })
  .refine((b) => b.passengers.some((p) => p.type === "adult"), {
    message: "At least one adult (12 or older) must travel.",
    path: ["passengers"],
  })
  .refine(
    (b) =>
      infantsWithinAdults({
        adults: countOf(b.passengers, "adult"),
        infants: countOf(b.passengers, "infant"),
      }),
    {
      message: "Each infant travels on an adult's lap: add an adult or remove an infant.",
      path: ["passengers"],
    },
  );

export type CreateBookingInput = z.output<typeof createBookingInput>;

/** One passenger's details as stored and as sent to an operator: an absent optional field is null. */
export function passengerDetails(p: z.output<typeof passengerInput>) {
  return {
    type: p.type,
    firstName: p.firstName,
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth ?? null,
    nationality: p.nationality ?? null,
    documentNumber: p.documentNumber ?? null,
  };
}

export const bookingLookupInput = z.object({
  reference: z.string().trim().min(4).max(20),
  email: z.string().trim().toLowerCase().max(EMAIL_MAX),
});
