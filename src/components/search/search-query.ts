import { z } from "zod";
import { MAX_PARTY, MAX_PETS, vehicleTypes } from "@/shared/constants";
import { isIsoDate, todayAt } from "@/shared/dates";
import { infantsWithinAdults, partyWithinLimit } from "@/shared/validation";

/**
 * The search as it lives in the URL (`/search?from=TUN&to=MRS&date=…`), shared by the home form, the results
 * page and the booking links. Kept free of React and server imports so both sides use the same rules and the
 * traveller sees the same message whether the form or a hand-edited URL is wrong.
 */

export const VEHICLE_CHOICES = ["none", ...vehicleTypes] as const;
export type VehicleChoice = (typeof VEHICLE_CHOICES)[number];

export interface SearchFormValues {
  from: string;
  to: string;
  trip: "one-way" | "return";
  date: string;
  returnDate: string;
  adults: number;
  children: number;
  infants: number;
  vehicle: VehicleChoice;
  pets: number;
}

export interface PortOption {
  code: string;
  timeZone: string;
  destinations: string[];
}

type Params = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

/**
 * Lenient: a hand-edited count that is not a number falls back to the default and a fraction or negative is
 * clamped, so the page shows results or one of our own messages (e.g. "at least one adult"), never a crash.
 */
function count(v: string | string[] | undefined, fallback: number): number {
  const n = Number(first(v) || Number.NaN);
  return Number.isFinite(n) ? Math.max(0, Math.min(99, Math.floor(n))) : fallback;
}

export function parseSearchParams(sp: Params): SearchFormValues {
  const vehicle = first(sp.vehicle) || "none";
  const returnDate = first(sp.return);
  return {
    from: first(sp.from).toUpperCase(),
    to: first(sp.to).toUpperCase(),
    trip: returnDate ? "return" : "one-way",
    date: first(sp.date),
    returnDate,
    adults: count(sp.adults, 1),
    children: count(sp.children, 0),
    infants: count(sp.infants, 0),
    vehicle: (VEHICLE_CHOICES as readonly string[]).includes(vehicle) ? (vehicle as VehicleChoice) : "none",
    pets: count(sp.pets, 0),
  };
}

/** The party part of a URL, shared by the results and booking links. */
export function partyQuery(v: SearchFormValues): Record<string, string> {
  const q: Record<string, string> = {
    adults: String(v.adults),
    children: String(v.children),
    infants: String(v.infants),
  };
  if (v.vehicle !== "none") q.vehicle = v.vehicle;
  q.pets = String(v.pets);
  return q;
}

export function searchQuery(v: SearchFormValues, overrides: { date?: string; returnDate?: string } = {}) {
  const q: Record<string, string> = { from: v.from, to: v.to, date: overrides.date ?? v.date };
  const ret = overrides.returnDate ?? v.returnDate;
  if (v.trip === "return" && ret) q.return = ret;
  return { ...q, ...partyQuery(v) };
}

export type SearchErrorKey =
  | "from"
  | "to"
  | "same"
  | "route"
  | "date"
  | "datePast"
  | "returnDate"
  | "returnBefore"
  | "adults"
  | "infants"
  | "party"
  | "pets";

export type SearchMessages = (key: SearchErrorKey, values?: Record<string, string | number>) => string;

/**
 * One schema for the form and the URL. `msg` supplies translated messages (client or server translator),
 * `portName` the localized name used inside messages.
 */
export function searchSchema(opts: {
  ports: PortOption[];
  msg: SearchMessages;
  portName: (code: string) => string;
  cityName: (code: string) => string;
  now?: Date;
}) {
  const { ports, msg, portName, cityName } = opts;
  const byCode = new Map(ports.map((p) => [p.code, p]));
  const counter = z.number();
  return z
    .object({
      from: z.string(),
      to: z.string(),
      trip: z.enum(["one-way", "return"]),
      date: z.string(),
      returnDate: z.string(),
      adults: counter,
      children: counter,
      infants: counter,
      vehicle: z.enum(VEHICLE_CHOICES),
      pets: counter,
    })
    .superRefine((v, ctx) => {
      const add = (path: keyof SearchFormValues, message: string) =>
        ctx.addIssue({ code: "custom", path: [path], message });
      const from = byCode.get(v.from);
      if (!from) add("from", msg("from"));
      if (!byCode.has(v.to)) add("to", msg("to"));
      else if (v.from === v.to) add("to", msg("same"));
      else if (from && !from.destinations.includes(v.to))
        add("to", msg("route", { from: portName(v.from), to: portName(v.to) }));

      if (!isIsoDate(v.date)) add("date", msg("date"));
      else if (from && v.date < todayAt(from.timeZone, opts.now))
        add("date", msg("datePast", { city: cityName(from.code) }));
      if (v.trip === "return") {
        if (!isIsoDate(v.returnDate)) add("returnDate", msg("returnDate"));
        else if (isIsoDate(v.date) && v.returnDate < v.date) add("returnDate", msg("returnBefore"));
      }

      if (!(v.adults >= 1)) add("adults", msg("adults"));
      else if (!partyWithinLimit(v)) add("adults", msg("party", { max: MAX_PARTY }));
      if (!infantsWithinAdults(v)) add("infants", msg("infants"));
      if (v.pets > MAX_PETS) add("pets", msg("pets", { max: MAX_PETS }));
    });
}

export type FieldErrors = Partial<Record<keyof SearchFormValues, string>>;

/** Runs the schema on URL values and returns one message per field (first wins), or null when valid. */
export function validateSearch(
  schema: ReturnType<typeof searchSchema>,
  v: SearchFormValues,
): FieldErrors | null {
  const r = schema.safeParse(v);
  if (r.success) return null;
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    const field = (issue.path[0] ?? "from") as keyof SearchFormValues;
    errors[field] ??= issue.message;
  }
  return errors;
}
