import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { ports, routes, vessels } from "@/server/db/schema/network";
import { type Resource, resources } from "@/server/db/schema/resources";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { AppError } from "@/server/lib/errors";
import { type PlannedSailing, planWeekly } from "./weekly-plan";

export type { PlannedSailing };

export interface WeeklyPattern {
  routeId: number;
  vesselId: number;
  /** ISO weekdays, 1 = Monday … 7 = Sunday, in the departure port's calendar. */
  weekdays: number[];
  /** Local departure time at the departure port, HH:MM. */
  departureTime: string;
  /** Inclusive local dates, YYYY-MM-DD. */
  fromDate: string;
  toDate: string;
  /** Overrides the route's typical crossing time. */
  durationMinutes?: number;
}

/** The sailings a weekly pattern describes, computed in the departure port's time zone (DST-safe). */
export async function planTimetable(db: DbOrTx, pattern: WeeklyPattern): Promise<PlannedSailing[]> {
  const [route] = await db
    .select({ durationMinutes: routes.durationMinutes, timeZone: ports.timeZone })
    .from(routes)
    .innerJoin(ports, eq(ports.code, routes.fromPort))
    .where(eq(routes.id, pattern.routeId));
  if (!route) throw new AppError("NOT_FOUND", `Route ${pattern.routeId} does not exist.`);
  const durationMinutes = pattern.durationMinutes ?? route.durationMinutes;
  return planWeekly(pattern, { timeZone: route.timeZone, durationMinutes });
}

/**
 * Creates the planned sailings with inventory from the vessel's capacities. Idempotent: the unique
 * (route, departure) constraint turns a second run into a no-op, so admins and the seed can re-run it.
 */
export async function createSailings(
  db: DbOrTx,
  input: { routeId: number; vesselId: number; sailings: PlannedSailing[] },
): Promise<{ created: number; skipped: number; ids: number[] }> {
  if (input.sailings.length === 0) return { created: 0, skipped: 0, ids: [] };
  const [vessel] = await db.select().from(vessels).where(eq(vessels.id, input.vesselId));
  if (!vessel) throw new AppError("NOT_FOUND", `Vessel ${input.vesselId} does not exist.`);
  const ids: number[] = [];
  // Chunked so a 120-day timetable stays well under Postgres's bind-parameter limit.
  for (let i = 0; i < input.sailings.length; i += 500) {
    const chunk = input.sailings.slice(i, i + 500);
    const rows = await db
      .insert(sailings)
      .values(
        chunk.map((s) => ({
          routeId: input.routeId,
          vesselId: input.vesselId,
          departureAt: s.departureAt,
          arrivalAt: s.arrivalAt,
        })),
      )
      .onConflictDoNothing({ target: [sailings.routeId, sailings.departureAt] })
      .returning({ id: sailings.id });
    ids.push(...rows.map((r) => r.id));
  }
  await createInventory(db, ids, vessel.capacities);
  return { created: ids.length, skipped: input.sailings.length - ids.length, ids };
}

export async function createInventory(
  db: DbOrTx,
  sailingIds: number[],
  capacities: Partial<Record<Resource, number>>,
): Promise<void> {
  const rows = sailingIds.flatMap((sailingId) =>
    resources.map((resource) => ({ sailingId, resource, capacity: capacities[resource] ?? 0 })),
  );
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insert(inventory)
      .values(rows.slice(i, i + 2000))
      .onConflictDoNothing();
  }
}
