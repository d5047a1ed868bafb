import { and, eq, gte, inArray, isNull, lt, max } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { operators, routes, vessels } from "@/server/db/schema/network";
import type { Resource } from "@/server/db/schema/resources";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { loadSailingFares } from "@/server/features/pricing/fares";
import type { EffectiveFares } from "@/server/features/pricing/quote";
import { localDate, localDayBounds } from "@/shared/dates";

/**
 * What is cached per (route pair, local day): the timetable and the fares, which change only through
 * admin edits (and so bump the route version). Plain JSON: times are epoch milliseconds.
 */
export interface DaySchedule {
  /** Last local date with a scheduled sailing on this pair, to tell "no sailing that day" from "not published yet". */
  horizon: string | null;
  sailings: ScheduledSailing[];
}

export interface ScheduledSailing {
  id: number;
  departureAt: number;
  arrivalAt: number;
  status: "SCHEDULED" | "CANCELLED";
  international: boolean;
  operator: { code: string; name: string };
  vessel: { id: number; name: string };
  fares: EffectiveFares;
}

export async function loadDaySchedule(
  db: DbOrTx,
  q: { from: string; to: string; date: string; fromTimeZone: string },
): Promise<DaySchedule> {
  const { start, end } = localDayBounds(q.date, q.fromTimeZone);
  // Own sailings only: a connected operator's sailing booked through Traverse has a shadow row here
  // (`operator_sailing_id` set), but search asks the operator itself for those (search/connected.ts).
  const pair = and(eq(routes.fromPort, q.from), eq(routes.toPort, q.to), isNull(sailings.operatorSailingId));
  const [rows, [horizonRow]] = await Promise.all([
    db
      .select({
        id: sailings.id,
        departureAt: sailings.departureAt,
        arrivalAt: sailings.arrivalAt,
        status: sailings.status,
        international: routes.international,
        operatorCode: operators.code,
        operatorName: operators.name,
        vesselId: vessels.id,
        vesselName: vessels.name,
      })
      .from(sailings)
      .innerJoin(routes, eq(routes.id, sailings.routeId))
      .innerJoin(operators, eq(operators.code, routes.operatorCode))
      .innerJoin(vessels, eq(vessels.id, sailings.vesselId))
      .where(and(pair, gte(sailings.departureAt, start), lt(sailings.departureAt, end)))
      .orderBy(sailings.departureAt),
    db
      .select({ last: max(sailings.departureAt) })
      .from(sailings)
      .innerJoin(routes, eq(routes.id, sailings.routeId))
      .where(and(pair, eq(sailings.status, "SCHEDULED"))),
  ]);
  const fares = await loadSailingFares(
    db,
    rows.map((r) => r.id),
  );
  return {
    horizon: horizonRow?.last ? localDate(horizonRow.last, q.fromTimeZone) : null,
    sailings: rows.map((r) => ({
      id: r.id,
      departureAt: r.departureAt.getTime(),
      arrivalAt: r.arrivalAt.getTime(),
      status: r.status,
      international: r.international,
      operator: { code: r.operatorCode, name: r.operatorName },
      vessel: { id: r.vesselId, name: r.vesselName },
      fares: fares.get(r.id) ?? { currency: "EUR", passenger: {}, vehicle: {}, pet: null },
    })),
  };
}

/** Places left per resource on a sailing (capacity − held − sold), cached 60 s. */
export type Availability = Partial<Record<Resource, number>>;

export async function loadAvailability(db: DbOrTx, sailingIds: number[]): Promise<Map<number, Availability>> {
  const out = new Map<number, Availability>(sailingIds.map((id) => [id, {}]));
  if (sailingIds.length === 0) return out;
  const rows = await db.select().from(inventory).where(inArray(inventory.sailingId, sailingIds));
  for (const r of rows) {
    const a = out.get(r.sailingId);
    if (a) a[r.resource] = r.capacity - r.held - r.sold;
  }
  return out;
}
