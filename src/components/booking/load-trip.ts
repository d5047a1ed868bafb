import "server-only";
import { readAppError } from "@/trpc/errors";
import type { SailingResult } from "@/server/features/search/sailings";
import { type Accommodation, accommodations, type VehicleType, vehicleTypes } from "@/shared/constants";
import { parseLegParam, type SailingId } from "@/shared/sailing-id";
import { isBookableParty } from "@/shared/validation";
import { serverApi } from "@/trpc/server";

export interface BookingRequest {
  out: { sailingId: SailingId; accommodation: Accommodation };
  ret: { sailingId: SailingId; accommodation: Accommodation } | null;
  adults: number;
  children: number;
  infants: number;
  vehicle: VehicleType | null;
  pets: number;
}

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

function leg(v: string): BookingRequest["out"] | null {
  const p = parseLegParam(v);
  if (!p) return null;
  const accommodation = p.accommodation as Accommodation;
  if (!accommodations.includes(accommodation)) return null;
  return { sailingId: p.sailingId, accommodation };
}

function count(v: string | string[] | undefined, fallback: number): number | null {
  const s = first(v);
  if (!s) return fallback;
  return /^\d{1,2}$/.test(s) ? Number(s) : null;
}

/** The booking link from the results page (`out=<id>:<CLASS>&ret=…&adults=…`); null when it is malformed. */
export function parseBookingRequest(sp: Params): BookingRequest | null {
  const out = leg(first(sp.out));
  const retRaw = first(sp.ret);
  const ret = retRaw ? leg(retRaw) : null;
  const adults = count(sp.adults, 1);
  const children = count(sp.children, 0);
  const infants = count(sp.infants, 0);
  const pets = count(sp.pets, 0);
  const vehicleRaw = first(sp.vehicle);
  const vehicle = vehicleRaw && vehicleRaw !== "none" ? (vehicleRaw as VehicleType) : null;
  if (!out || (retRaw && !ret) || adults === null || children === null || infants === null || pets === null)
    return null;
  if (vehicle && !vehicleTypes.includes(vehicle)) return null;
  if (!isBookableParty({ adults, children, infants, pets })) return null;
  return { out, ret, adults, children, infants, vehicle, pets };
}

export interface LoadedLeg {
  key: "out" | "ret";
  accommodation: Accommodation;
  /** Route facts that search results do not carry. */
  route: { from: string; to: string; date: string; fromTimeZone: string; refundPolicy: "STANDARD" | "FLEX" };
  /** Null when the sailing is no longer sold (departed, or outside the published schedule). */
  sailing: SailingResult | null;
}

export type LoadResult =
  | { ok: true; legs: LoadedLeg[] }
  | { ok: false; reason: "notFound" | "unavailable"; legs: LoadedLeg[] };

/**
 * Prices and availability come from `search.sailing`, the results page's own search narrowed to one
 * sailing, so the booking page shows exactly the numbers the traveller chose from.
 */
export async function loadTrip(req: BookingRequest): Promise<LoadResult> {
  const wanted = [
    { key: "out" as const, ...req.out },
    ...(req.ret ? [{ key: "ret" as const, ...req.ret }] : []),
  ];
  const api = await serverApi();
  let legs: LoadedLeg[];
  try {
    legs = await Promise.all(
      wanted.map(async (w): Promise<LoadedLeg> => {
        const res = await api.search.sailing({
          id: w.sailingId,
          passengers: { adults: req.adults, children: req.children, infants: req.infants },
          vehicle: req.vehicle ? { type: req.vehicle } : undefined,
          pets: req.pets,
        });
        return { key: w.key, accommodation: w.accommodation, route: res.route, sailing: res.sailing };
      }),
    );
  } catch (e) {
    if (readAppError(e).code === "NOT_FOUND") return { ok: false, reason: "notFound", legs: [] };
    throw e;
  }
  if (legs.some((l) => !l.sailing)) return { ok: false, reason: "unavailable", legs };
  return { ok: true, legs };
}
