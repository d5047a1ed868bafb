import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { ports, type RefundPolicy, routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import { AppError } from "@/server/lib/errors";
import { localDate } from "@/shared/dates";
import { partyInput } from "./input";
import { MAX_PETS } from "@/shared/constants";
import { type SailingResult, searchSailings } from "./sailings";
import { vehicleTypes } from "@/server/db/schema/resources";
import type { Services } from "@/server/services";
import { isSailingId, parseSailingId, type SailingId } from "@/shared/sailing-id";
import { findConnectedSailing } from "./connected";

export const sailingInput = z.object({
  /** Either form search hands out (src/shared/sailing-id.ts): an own row id, or `<operator>:<its id>`. */
  id: z.union([z.number(), z.string()]).refine(isSailingId, "Choose a sailing."),
  passengers: partyInput,
  vehicle: z.object({ type: z.enum(vehicleTypes) }).optional(),
  pets: z.number().int().min(0).max(MAX_PETS).default(0),
});

export interface SailingQuote {
  route: { from: string; to: string; date: string; fromTimeZone: string; refundPolicy: RefundPolicy };
  /** Null when the sailing is no longer sold (departed, cancelled, or outside the published schedule). */
  sailing: SailingResult | null;
}

/**
 * One sailing priced for a party, for pages that hold a sailing id (booking links): the same figures
 * as the results page, because it is the same search, narrowed to the one sailing.
 */
export async function sailingQuote(
  svc: Services,
  input: z.output<typeof sailingInput>,
): Promise<SailingQuote> {
  const parsed = parseSailingId(input.id);
  const route =
    parsed?.source === "own" ? await ownRoute(svc, parsed.id) : await connectedRoute(svc, input.id);
  if (!route) throw new AppError("SAILING_NOT_FOUND", "This sailing does not exist. Search again.");
  try {
    const res = await searchSailings(svc, {
      from: route.from,
      to: route.to,
      date: route.date,
      passengers: input.passengers,
      vehicle: input.vehicle,
      pets: input.pets,
    });
    return { route, sailing: res.sailings.find((s) => s.id === input.id) ?? null };
  } catch (e) {
    // A date now past, or beyond the published schedule: the sailing is simply not on sale.
    if (e instanceof AppError && e.code === "BAD_REQUEST") return { route, sailing: null };
    throw e;
  }
}

async function ownRoute(svc: Services, id: number): Promise<SailingQuote["route"] | undefined> {
  const [row] = await svc.db
    .select({
      departureAt: sailings.departureAt,
      from: routes.fromPort,
      to: routes.toPort,
      fromTimeZone: ports.timeZone,
      refundPolicy: routes.refundPolicy,
    })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .innerJoin(ports, eq(ports.code, routes.fromPort))
    .where(eq(sailings.id, id));
  if (!row) return undefined;
  return {
    from: row.from,
    to: row.to,
    date: localDate(row.departureAt, row.fromTimeZone),
    fromTimeZone: row.fromTimeZone,
    refundPolicy: row.refundPolicy,
  };
}

/** A connected sailing's route and day, as the search that listed it recorded them (`connectedDay`). */
async function connectedRoute(svc: Services, id: SailingId): Promise<SailingQuote["route"] | undefined> {
  const parsed = parseSailingId(id);
  if (parsed?.source !== "connected") return undefined;
  const place = await findConnectedSailing(svc, parsed.operator, parsed.operatorSailingId);
  if (!place) return undefined;
  const [row] = await svc.db
    .select({ fromTimeZone: ports.timeZone, refundPolicy: routes.refundPolicy })
    .from(routes)
    .innerJoin(ports, eq(ports.code, routes.fromPort))
    .where(
      and(
        eq(routes.fromPort, place.from),
        eq(routes.toPort, place.to),
        eq(routes.operatorCode, parsed.operator),
      ),
    );
  if (!row) return undefined;
  return { ...place, fromTimeZone: row.fromTimeZone, refundPolicy: row.refundPolicy };
}
