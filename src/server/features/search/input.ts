import { z } from "zod";
import { MAX_PARTY, MAX_PETS, vehicleTypes } from "@/shared/constants";
import { infantsWithinAdults, partyWithinLimit } from "@/shared/validation";
import { isoDate, portCode } from "@/server/lib/inputs";

const count = (label: string, max: number) =>
  z
    .number({ error: `Give the number of ${label}.` })
    .int(`The number of ${label} must be a whole number.`)
    .min(0, `The number of ${label} cannot be negative.`)
    .max(max, `At most ${max} ${label} can book online.`);

export const partyInput = z
  .object({
    adults: count("adults", MAX_PARTY).min(1, "At least one adult (12 or older) must travel."),
    children: count("children", MAX_PARTY).default(0),
    infants: count("infants", MAX_PARTY).default(0),
  })
  .refine(infantsWithinAdults, {
    message: "Each infant travels on an adult's lap: add an adult or remove an infant.",
    path: ["infants"],
  })
  .refine(partyWithinLimit, {
    message: `At most ${MAX_PARTY} people can book together online; for larger groups contact our group desk.`,
    path: ["adults"],
  });

export const searchSailingsInput = z
  .object({
    from: portCode,
    to: portCode,
    date: isoDate,
    passengers: partyInput,
    vehicle: z
      .object({
        type: z.enum(vehicleTypes, { error: `Vehicle type must be one of: ${vehicleTypes.join(", ")}.` }),
      })
      .optional(),
    pets: count("pets", MAX_PETS).default(0),
  })
  .refine((i) => i.from !== i.to, {
    message: "Departure and arrival ports must be different.",
    path: ["to"],
  });

export type SearchSailingsInput = z.output<typeof searchSailingsInput>;

export const calendarInput = z
  .object({
    from: portCode,
    to: portCode,
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Use a month written like 2026-12."),
  })
  .refine((i) => i.from !== i.to, {
    message: "Departure and arrival ports must be different.",
    path: ["to"],
  });

export type CalendarInput = z.output<typeof calendarInput>;
