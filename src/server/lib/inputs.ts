import { z } from "zod";
import { isValidIsoDate } from "./time";

/** Input pieces more than one feature validates the same way (search, booking, schedule, cache clears). */

export const portCode = z
  .string({ error: "Choose a port." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter port code such as TUN or MRS.");

export const isoDate = z
  .string({ error: "Choose a date." })
  .refine(isValidIsoDate, "Use a calendar date written like 2026-12-20.");
