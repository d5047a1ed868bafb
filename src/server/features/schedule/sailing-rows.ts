import { and, asc, count, eq, gte, inArray, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { operators, ports, routes, vessels } from "@/server/db/schema/network";
import { type Resource, resourceOrder } from "@/server/db/schema/resources";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { AppError } from "@/server/lib/errors";
import { addDays, isoWeekday, localDate, localDayBounds } from "@/shared/dates";
import type { Services } from "@/server/services";
import type { listSailingsInput, timetableInput, weekViewInput } from "./inputs";
import { planTimetable } from "./timetable";

/** What the admin schedule pages read: routes, vessels, sailings with their inventory, timetable previews. */

/** Routes with their ports, for the admin's route pickers. */
export async function listRoutes(svc: Services) {
  const fromPort = alias(ports, "from_port");
  const toPort = alias(ports, "to_port");
  return svc.db
    .select({
      id: routes.id,
      from: { code: fromPort.code, name: fromPort.name, timeZone: fromPort.timeZone },
      to: { code: toPort.code, name: toPort.name, timeZone: toPort.timeZone },
      // kind: the schedule and price editors list own operators' routes only (features/operators/own-only.ts).
      operator: { code: operators.code, name: operators.name, kind: operators.kind },
      durationMinutes: routes.durationMinutes,
      refundPolicy: routes.refundPolicy,
    })
    .from(routes)
    .innerJoin(fromPort, eq(fromPort.code, routes.fromPort))
    .innerJoin(toPort, eq(toPort.code, routes.toPort))
    .innerJoin(operators, eq(operators.code, routes.operatorCode))
    .orderBy(asc(routes.fromPort), asc(routes.toPort), asc(routes.operatorCode));
}

export async function listVessels(svc: Services) {
  return svc.db
    .select({
      id: vessels.id,
      name: vessels.name,
      operatorCode: vessels.operatorCode,
      capacities: vessels.capacities,
    })
    .from(vessels)
    .orderBy(asc(vessels.name));
}

export interface AdminSailingRow {
  id: number;
  routeId: number;
  from: { code: string; timeZone: string };
  to: { code: string; timeZone: string };
  departureAt: Date;
  arrivalAt: Date;
  /** Local date (YYYY-MM-DD) and time (HH:MM) at the departure port, for tables and forms. */
  departureLocal: { date: string; time: string };
  status: "SCHEDULED" | "CANCELLED";
  vessel: { id: number; name: string };
  inventory: { resource: Resource; capacity: number; held: number; sold: number }[];
  /** Bookings that still hold or own places (pending payment or confirmed). */
  activeBookings: number;
}

export async function loadSailingRows(db: DbOrTx, where: ReturnType<typeof and>): Promise<AdminSailingRow[]> {
  const fromPort = alias(ports, "from_port");
  const toPort = alias(ports, "to_port");
  const rows = await db
    .select({
      id: sailings.id,
      routeId: sailings.routeId,
      fromCode: fromPort.code,
      fromTz: fromPort.timeZone,
      toCode: toPort.code,
      toTz: toPort.timeZone,
      departureAt: sailings.departureAt,
      arrivalAt: sailings.arrivalAt,
      status: sailings.status,
      vesselId: vessels.id,
      vesselName: vessels.name,
    })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .innerJoin(fromPort, eq(fromPort.code, routes.fromPort))
    .innerJoin(toPort, eq(toPort.code, routes.toPort))
    .innerJoin(vessels, eq(vessels.id, sailings.vesselId))
    .where(where)
    .orderBy(asc(sailings.departureAt), asc(sailings.id))
    .limit(5000);
  const ids = rows.map((r) => r.id);
  const [inv, active] = ids.length
    ? await Promise.all([
        db.select().from(inventory).where(inArray(inventory.sailingId, ids)),
        db
          .select({ sailingId: bookingLegs.sailingId, n: count() })
          .from(bookingLegs)
          .innerJoin(bookings, eq(bookings.id, bookingLegs.bookingId))
          .where(
            and(
              inArray(bookingLegs.sailingId, ids),
              inArray(bookings.status, ["PENDING_PAYMENT", "CONFIRMING", "CONFIRMED"]),
            ),
          )
          .groupBy(bookingLegs.sailingId),
      ])
    : [[], []];
  const invBy = new Map<number, AdminSailingRow["inventory"]>();
  for (const r of inv) {
    const list = invBy.get(r.sailingId) ?? [];
    list.push({ resource: r.resource, capacity: r.capacity, held: r.held, sold: r.sold });
    invBy.set(r.sailingId, list);
  }
  const activeBy = new Map(active.map((a) => [a.sailingId, a.n]));
  return rows.map((r) => ({
    id: r.id,
    routeId: r.routeId,
    from: { code: r.fromCode, timeZone: r.fromTz },
    to: { code: r.toCode, timeZone: r.toTz },
    departureAt: r.departureAt,
    arrivalAt: r.arrivalAt,
    departureLocal: localParts(r.departureAt, r.fromTz),
    status: r.status,
    vessel: { id: r.vesselId, name: r.vesselName },
    inventory: (invBy.get(r.id) ?? []).sort((a, b) => resourceOrder[a.resource] - resourceOrder[b.resource]),
    activeBookings: activeBy.get(r.id) ?? 0,
  }));
}

function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
  return { date: localDate(instant, timeZone), time };
}

export async function routeZone(db: DbOrTx, routeId: number) {
  const [r] = await db
    .select({
      id: routes.id,
      from: routes.fromPort,
      to: routes.toPort,
      timeZone: ports.timeZone,
      durationMinutes: routes.durationMinutes,
    })
    .from(routes)
    .innerJoin(ports, eq(ports.code, routes.fromPort))
    .where(eq(routes.id, routeId));
  if (!r) throw new AppError("NOT_FOUND", `Route ${routeId} does not exist.`);
  return r;
}

/** A route's sailings between two local dates (inclusive) at its departure port. */
export async function listSailings(svc: Services, input: z.infer<typeof listSailingsInput>) {
  const { db } = svc;
  const route = await routeZone(db, input.routeId);
  const start = localDayBounds(input.fromDate, route.timeZone).start;
  const end = localDayBounds(input.toDate, route.timeZone).end;
  return loadSailingRows(
    db,
    and(
      eq(sailings.routeId, input.routeId),
      gte(sailings.departureAt, start),
      lt(sailings.departureAt, end),
      input.status ? eq(sailings.status, input.status) : undefined,
    ),
  );
}

/**
 * Seven days Monday → Sunday containing `date`, each with its sailings, grouped by the local date at each
 * sailing's own departure port (a 23:30 Tunis departure is on Tunis's day, whatever UTC says).
 */
export async function weekView(svc: Services, input: z.infer<typeof weekViewInput>) {
  const { db } = svc;
  const monday = addDays(input.date, 1 - isoWeekday(input.date));
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  // Widen by a day either side in UTC; the exact split by local date happens below.
  const start = localDayBounds(addDays(monday, -1), "UTC").start;
  const end = localDayBounds(addDays(monday, 8), "UTC").start;
  const rows = await loadSailingRows(
    db,
    and(
      input.routeId ? eq(sailings.routeId, input.routeId) : undefined,
      gte(sailings.departureAt, start),
      lt(sailings.departureAt, end),
    ),
  );
  return {
    weekStart: monday,
    days: days.map((date) => ({ date, sailings: rows.filter((r) => r.departureLocal.date === date) })),
  };
}

/** The sailings a weekly pattern would create, each marked when it already exists. Writes nothing. */
export async function previewTimetable(svc: Services, input: z.infer<typeof timetableInput>) {
  const { db } = svc;
  const [vessel] = await db.select({ id: vessels.id }).from(vessels).where(eq(vessels.id, input.vesselId));
  if (!vessel) throw new AppError("NOT_FOUND", `Vessel ${input.vesselId} does not exist.`);
  const planned = await planTimetable(db, input);
  const existing = planned.length
    ? await db
        .select({ departureAt: sailings.departureAt })
        .from(sailings)
        .where(
          and(
            eq(sailings.routeId, input.routeId),
            inArray(
              sailings.departureAt,
              planned.map((p) => p.departureAt),
            ),
          ),
        )
    : [];
  const taken = new Set(existing.map((e) => e.departureAt.getTime()));
  const items = planned.map((p) => ({ ...p, exists: taken.has(p.departureAt.getTime()) }));
  return {
    sailings: items,
    newCount: items.filter((i) => !i.exists).length,
    existingCount: items.filter((i) => i.exists).length,
  };
}
