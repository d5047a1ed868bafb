import { randomInt } from "node:crypto";
import { z } from "zod";

// Crockford's base32 without I, L, O, U: nothing a traveller can misread on a phone or a printout.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `TRV-` + 8 symbols of 5 bits = 40 bits of randomness; collisions retry on the unique index. */
export function newBookingReference(): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `TRV-${s}`;
}

/** Accepts what people type: lower case, spaces, a missing prefix, O for 0 and I/L for 1. */
export function normaliseReference(input: string): string {
  let s = input.trim().toUpperCase().replace(/[\s-]/g, "");
  if (s.startsWith("TRV")) s = s.slice(3);
  s = s.replace(/O/g, "0").replace(/[IL]/g, "1");
  return `TRV-${s}`;
}

/** A booking reference as an admin types it, normalised (the admin booking, cancel and refund inputs). */
export const bookingReferenceInput = z
  .string({ error: "Give the booking reference." })
  .trim()
  .min(4, "Give the booking reference, like TRV-4K7QM9ZD.")
  .max(40)
  .transform(normaliseReference);
