import { z } from "zod";
import { locales } from "@/server/db/schema/bookings";
import { accommodations, passengerTypes, vehicleTypes } from "@/server/db/schema/resources";
import { MAX_PARTY, MAX_PETS } from "@/server/features/search/input";
import { isoDate } from "@/server/lib/inputs";

const personName = (label: string) =>
  z
    .string({ error: `Enter the ${label} as written on the travel document.` })
    .trim()
    .min(1, `Enter the ${label} as written on the travel document.`)
    .max(60, `The ${label} is too long (60 characters at most).`)
    .regex(/^[\p{L}\p{M}' .-]+$/u, `Use only letters, spaces, hyphens and apostrophes in the ${label}.`);

export const legInput = z.object({
  sailingId: z.number({ error: "Choose a sailing." }).int().positive("Choose a sailing."),
  accommodation: z.enum(accommodations, {
    error: `Accommodation must be one of: ${accommodations.join(", ")}.`,
  }),
});

export const passengerInput = z.object({
  type: z.enum(passengerTypes, { error: "Passenger type must be adult, child or infant." }),
  firstName: personName("first name"),
  lastName: personName("last name"),
  dateOfBirth: isoDate.optional(),
  nationality: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Give the nationality as a two-letter country code, e.g. TN or FR.")
    .optional(),
  documentNumber: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{5,20}$/, "The passport or ID number should be 5 to 20 letters and digits.")
    .optional(),
});

export const vehicleInput = z.object({
  type: z.enum(vehicleTypes, { error: `Vehicle type must be one of: ${vehicleTypes.join(", ")}.` }),
  registration: z
    .string({ error: "Enter the vehicle's registration." })
    .trim()
    .toUpperCase()
    .regex(
      /^[A-Z0-9][A-Z0-9 -]{1,13}$/,
      "Enter the registration as on the plate (letters, digits, spaces, hyphens).",
    ),
  heightCm: z.number().int().min(50, "Height looks too small: give it in centimetres.").max(500).optional(),
  lengthCm: z.number().int().min(100, "Length looks too small: give it in centimetres.").max(2000).optional(),
});

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
      email: z.email("Enter a valid email address: your tickets are sent there.").max(254).toLowerCase(),
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9 ()-]{6,20}$/, "Enter a phone number with its country code, e.g. +216 71 000 000.")
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
      b.passengers.filter((p) => p.type === "infant").length <=
      b.passengers.filter((p) => p.type === "adult").length,
    {
      message: "Each infant travels on an adult's lap: add an adult or remove an infant.",
      path: ["passengers"],
    },
  );

export type CreateBookingInput = z.output<typeof createBookingInput>;

export const bookingLookupInput = z.object({
  reference: z.string().trim().min(4).max(20),
  email: z.string().trim().toLowerCase().max(254),
});
