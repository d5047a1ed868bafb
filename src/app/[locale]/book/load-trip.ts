import "server-only";
import { TRPCError } from "@trpc/server";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/server/db/client";
import { ports, routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import type { SailingResult } from "@/server/features/search/sailings";
import { serverApi } from "@/trpc/server";

export const ACCOMMODATIONS = ["DECK", "SEAT", "CABIN_INSIDE", "CABIN_OUTSIDE"] as const;
export type Accommodation = (typeof ACCOMMODATIONS)[number];
export const VEHICLES = ["motorcycle", "car", "high_car", "camper"] as const;
export type VehicleType = (typeof VEHICLES)[number];

export interface BookingRequest {
  out: { sailingId: number; accommodation: Accommodation };
  ret: { sailingId: number; accommodation: Accommodation } | null;
  adults: number;
  children: number;
  infants: number;
  vehicle: VehicleType | null;
  pets: number;
}

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

function leg(v: string): BookingRequest["out"] | null {
  const m = /^(\d{1,10}):([A-Z_]+)$/.exec(v);
  if (!m) return null;
  const accommodation = m[2] as Accommodation;
  if (!ACCOMMODATIONS.includes(accommodation)) return null;
  return { sailingId: Number(m[1]), accommodation };
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
  if (vehicle && !VEHICLES.includes(vehicle)) return null;
  if (adults < 1 || adults + children + infants > 9 || infants > adults || pets > 4) return null;
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

function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

/**
 * Prices and availability come from `search.sailings` (the same numbers as the results page). The link carries
 * only sailing ids, and no procedure looks a sailing up by id, so the route and local date are read here first.
 * TODO(server): replace the direct read with a `search.sailing({ id, passengers, vehicle, pets })` procedure.
 */
export async function loadTrip(req: BookingRequest): Promise<LoadResult> {
  const wanted = [
    { key: "out" as const, ...req.out },
    ...(req.ret ? [{ key: "ret" as const, ...req.ret }] : []),
  ];
  const rows = await getDb()
    .select({
      id: sailings.id,
      departureAt: sailings.departureAt,
      from: routes.fromPort,
      to: routes.toPort,
      fromTimeZone: ports.timeZone,
      refundPolicy: routes.refundPolicy,
    })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .innerJoin(ports, eq(ports.code, routes.fromPort))
    .where(
      inArray(
        sailings.id,
        wanted.map((w) => w.sailingId),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  if (wanted.some((w) => !byId.has(w.sailingId))) return { ok: false, reason: "notFound", legs: [] };

  const api = await serverApi();
  const legs = await Promise.all(
    wanted.map(async (w): Promise<LoadedLeg> => {
      const r = byId.get(w.sailingId)!;
      const route = {
        from: r.from,
        to: r.to,
        date: localDate(r.departureAt, r.fromTimeZone),
        fromTimeZone: r.fromTimeZone,
        refundPolicy: r.refundPolicy,
      };
      try {
        const res = await api.search.sailings({
          from: r.from,
          to: r.to,
          date: route.date,
          passengers: { adults: req.adults, children: req.children, infants: req.infants },
          vehicle: req.vehicle ? { type: req.vehicle } : undefined,
          pets: req.pets,
        });
        const sailing = res.sailings.find((s) => s.id === w.sailingId) ?? null;
        return { key: w.key, accommodation: w.accommodation, route, sailing };
      } catch (e) {
        // A past date or one beyond the published schedule: the sailing cannot be sold any more.
        if (e instanceof TRPCError && e.code === "BAD_REQUEST")
          return { key: w.key, accommodation: w.accommodation, route, sailing: null };
        throw e;
      }
    }),
  );
  if (legs.some((l) => !l.sailing)) return { ok: false, reason: "unavailable", legs };
  return { ok: true, legs };
}
