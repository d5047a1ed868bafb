import { eq } from "drizzle-orm";
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

export const sailingInput = z.object({
  id: z.number().int().positive("Choose a sailing."),
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
    .where(eq(sailings.id, input.id));
  if (!row) throw new AppError("SAILING_NOT_FOUND", "This sailing does not exist. Search again.");
  const route = {
    from: row.from,
    to: row.to,
    date: localDate(row.departureAt, row.fromTimeZone),
    fromTimeZone: row.fromTimeZone,
    refundPolicy: row.refundPolicy,
  };
  try {
    const res = await searchSailings(svc, {
      from: row.from,
      to: row.to,
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
