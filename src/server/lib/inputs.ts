import { z } from "zod";
import { isIsoDate } from "@/shared/dates";

/** Input pieces more than one feature validates the same way (search, booking, schedule, cache clears). */

export const portCode = z
  .string({ error: "Choose a port." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter port code such as TUN or MRS.");

export const isoDate = z
  .string({ error: "Choose a date." })
  .refine(isIsoDate, "Use a calendar date written like 2026-12-20.");

/** An amount an admin types in minor units (cents), with messages that name `what` it is. */
export const minorUnitsInput = (what: string) =>
  z
    .number({ error: `Give the ${what} in cents.` })
    .int(`The ${what} must be a whole number of cents.`)
    .min(0, `The ${what} cannot be negative.`)
    .max(100_000_000, `That ${what} is not plausible.`);
