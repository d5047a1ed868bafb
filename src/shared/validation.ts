import { z } from "zod";
import { MAX_PARTY, MAX_PETS, type PassengerType } from "./constants";

/**
 * The rules a booking's and a search's input must follow, used by the server's input schemas
 * (`src/server/features/booking/input.ts`, `src/server/features/search/input.ts`) and by the forms
 * (`src/components/booking/booking-schema.ts`, `src/components/search-query.ts`), so a traveller is told
 * about a mistake next to the field, in their language, by exactly the rule the server applies after.
 * Messages are the caller's: English sentences on the server, translations in the forms. Client-safe.
 */

export const NAME_MAX = 60;
/** Letters of any script, combining marks, spaces, hyphens, apostrophes and dots: names as on documents. */
const NAME_RE = /^[\p{L}\p{M}' .-]+$/u;
/** Passport or ID number after `normaliseDocument`. */
export const DOCUMENT_RE = /^[A-Z0-9]{5,20}$/;
/** A plate after `normaliseRegistration`. */
export const REGISTRATION_RE = /^[A-Z0-9][A-Z0-9 -]{1,13}$/;
export const PHONE_RE = /^\+?[0-9 ()-]{6,20}$/;
/** ISO 3166 alpha-2 country code. */
export const COUNTRY_RE = /^[A-Z]{2}$/;
export const EMAIL_MAX = 254;

/** Plausible vehicle measurements in centimetres; the class limits (`VEHICLE_TYPES`) are tighter. */
export const VEHICLE_HEIGHT_CM = { min: 50, max: 500 } as const;
export const VEHICLE_LENGTH_CM = { min: 100, max: 2000 } as const;

/** Passport numbers are often written with spaces or hyphens; the rule wants letters and digits only. */
export const normaliseDocument = (v: string) => v.replace(/[\s-]/g, "").toUpperCase();
export const normaliseRegistration = (v: string) => v.trim().toUpperCase();

/** A first or last name as written on the travel document. */
export function personName(m: { required: string; tooLong: string; chars: string }) {
  return z
    .string({ error: m.required })
    .trim()
    .min(1, m.required)
    .max(NAME_MAX, m.tooLong)
    .regex(NAME_RE, m.chars);
}

/** The contact address, where tickets are sent. */
export function emailAddress(invalid: string) {
  return z.email(invalid).max(EMAIL_MAX);
}

/** Whether someone of `age` on the day of departure travels as `type`: infant 0–3, child 4–11, adult 12+. */
export function fitsPassengerType(type: PassengerType, age: number): boolean {
  return type === "infant" ? age < 4 : type === "child" ? age >= 4 && age < 12 : age >= 12;
}

interface PartyCounts {
  adults: number;
  children: number;
  infants: number;
}

/** Everyone, infants included, counts towards the online limit. */
export const partyWithinLimit = (p: PartyCounts) => p.adults + p.children + p.infants <= MAX_PARTY;

/** Each infant travels on an adult's lap. */
export const infantsWithinAdults = (p: Pick<PartyCounts, "adults" | "infants">) => p.infants <= p.adults;

/** Every party rule at once: at least one adult, within the limit, an adult per infant, few enough pets. */
export function isBookableParty(p: PartyCounts & { pets: number }): boolean {
  return p.adults >= 1 && partyWithinLimit(p) && infantsWithinAdults(p) && p.pets <= MAX_PETS;
}
