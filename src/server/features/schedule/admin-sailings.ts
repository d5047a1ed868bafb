import { and, asc, count, eq, gte, inArray, lt, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, DbOrTx } from "@/server/db/client";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { operators, ports, routes, vessels } from "@/server/db/schema/network";
import { type Resource, resourceOrder, resources } from "@/server/db/schema/resources";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { type AdminActor, writeAudit } from "@/server/features/admin/audit";
import type { Cache } from "@/server/features/cache/cache";
import { queueSailingNotice } from "@/server/features/email/outbox";
import { isoDate } from "@/server/lib/inputs";
import { AppError, pgErrorCode } from "@/server/lib/errors";
import { addDays, isoWeekday, localDate, localDayBounds, localTimeToUtc } from "@/server/lib/time";
import { createInventory, createSailings, planTimetable } from "./timetable";

/** Admin deps: the database, the display cache to invalidate, and a clock tests can move. */
export interface AdminDeps {
  db: Db;
  cache: Cache;
  now?: () => Date;
}

// ---- inputs ---------------------------------------------------------------------------------------

export const localTime = z
  .string({ error: "Give a time." })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time written like 21:30.");
const id = (what: string) =>
  z
    .number({ error: `Choose a ${what}.` })
    .int()
    .positive();
const durationMinutes = z
  .number()
  .int("The crossing time must be whole minutes.")
  .min(15, "A crossing takes at least 15 minutes.")
  .max(72 * 60, "A crossing cannot take more than 72 hours.");
/** A bounded range keeps one admin table request from scanning years of sailings. */
const MAX_RANGE_DAYS = 92;
const MAX_TIMETABLE_DAYS = 400;

export const listSailingsInput = z
  .object({
    routeId: id("route"),
    /** Inclusive local dates at the departure port. */
    fromDate: isoDate,
    toDate: isoDate,
    status: z.enum(["SCHEDULED", "CANCELLED"]).optional(),
  })
  .refine((i) => i.toDate >= i.fromDate, {
    message: "The end date is before the start date.",
    path: ["toDate"],
  })
  .refine((i) => i.toDate <= addDays(i.fromDate, MAX_RANGE_DAYS), {
    message: `Show at most ${MAX_RANGE_DAYS} days at a time.`,
    path: ["toDate"],
  });

export const weekViewInput = z.object({
  /** Any date in the wanted week; the week runs Monday to Sunday in each departure port's calendar. */
  date: isoDate,
  /** Omit for every route. */
  routeId: id("route").optional(),
});

export const createSailingInput = z.object({
  routeId: id("route"),
  vesselId: id("vessel"),
  /** Local date and time at the departure port. */
  departureDate: isoDate,
  departureTime: localTime,
  /** Defaults to the route's typical crossing time. */
  durationMinutes: durationMinutes.optional(),
});

export const timetableInput = z
  .object({
    routeId: id("route"),
    vesselId: id("vessel"),
    weekdays: z
      .array(z.number().int().min(1, "Weekdays run 1 (Monday) to 7 (Sunday).").max(7, "Weekdays run 1 to 7."))
      .min(1, "Choose at least one weekday.")
      .max(7),
    departureTime: localTime,
    fromDate: isoDate,
    toDate: isoDate,
    durationMinutes: durationMinutes.optional(),
  })
  .refine((i) => i.toDate >= i.fromDate, {
    message: "The end date is before the start date.",
    path: ["toDate"],
  })
  .refine((i) => i.toDate <= addDays(i.fromDate, MAX_TIMETABLE_DAYS), {
    message: `Generate at most ${MAX_TIMETABLE_DAYS} days at a time.`,
    path: ["toDate"],
  });

export const updateSailingInput = z
  .object({
    sailingId: id("sailing"),
    /** New local departure date/time at the departure port; give both or neither. */
    departureDate: isoDate.optional(),
    departureTime: localTime.optional(),
    /** New crossing time; when the departure moves without it, the current crossing time is kept. */
    durationMinutes: durationMinutes.optional(),
    vesselId: id("vessel").optional(),
    /** Email travellers with confirmed bookings when the times change (default true). */
    notify: z.boolean().default(true),
    /** Shown to travellers in the notice. */
    message: z.string().trim().max(1000).optional(),
  })
  .refine((i) => (i.departureDate === undefined) === (i.departureTime === undefined), {
    message: "Give both the new departure date and time.",
    path: ["departureTime"],
  })
  .refine(
    (i) => i.departureDate !== undefined || i.durationMinutes !== undefined || i.vesselId !== undefined,
    { message: "Nothing to change: give new times or a vessel.", path: ["sailingId"] },
  );

export const setCapacityInput = z.object({
  sailingId: id("sailing"),
  capacities: z
    .array(
      z.object({
        resource: z.enum(resources, { error: `Resource must be one of: ${resources.join(", ")}.` }),
        capacity: z
          .number()
          .int("Capacity must be a whole number.")
          .min(0, "Capacity cannot be negative.")
          .max(100_000, "That capacity is not plausible for a ferry."),
      }),
    )
    .min(1, "Give at least one capacity.")
    .refine(
      (a) => new Set(a.map((c) => c.resource)).size === a.length,
      "Each resource may appear only once.",
    ),
});

export const cancelSailingInput = z.object({
  sailingId: id("sailing"),
  /** Shown to travellers in the cancellation notice. */
  message: z.string().trim().max(1000).optional(),
});

// ---- reads -----------------------------------------------------------------------------------------

/** Routes with their ports, for the admin's route pickers. */
export async function listRoutes(db: DbOrTx) {
  const fromPort = alias(ports, "from_port");
  const toPort = alias(ports, "to_port");
  return db
    .select({
      id: routes.id,
      from: { code: fromPort.code, name: fromPort.name, timeZone: fromPort.timeZone },
      to: { code: toPort.code, name: toPort.name, timeZone: toPort.timeZone },
      operator: { code: operators.code, name: operators.name },
      durationMinutes: routes.durationMinutes,
      refundPolicy: routes.refundPolicy,
    })
    .from(routes)
    .innerJoin(fromPort, eq(fromPort.code, routes.fromPort))
    .innerJoin(toPort, eq(toPort.code, routes.toPort))
    .innerJoin(operators, eq(operators.code, routes.operatorCode))
    .orderBy(asc(routes.fromPort), asc(routes.toPort), asc(routes.operatorCode));
}

export async function listVessels(db: DbOrTx) {
  return db
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

async function loadSailingRows(db: DbOrTx, where: ReturnType<typeof and>): Promise<AdminSailingRow[]> {
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
              inArray(bookings.status, ["PENDING_PAYMENT", "CONFIRMED"]),
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

async function routeZone(db: DbOrTx, routeId: number) {
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
export async function listSailings(db: DbOrTx, input: z.infer<typeof listSailingsInput>) {
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
export async function weekView(db: DbOrTx, input: z.infer<typeof weekViewInput>) {
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
export async function previewTimetable(db: DbOrTx, input: z.infer<typeof timetableInput>) {
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

// ---- changes -----------------------------------------------------------------------------------------

/** After a schedule change commits: searches show it at once (route version) and availability is fresh. */
async function invalidate(deps: AdminDeps, route: { from: string; to: string }, sailingIds: number[]) {
  await deps.cache.invalidateRoute(route.from, route.to);
  if (sailingIds.length) await deps.cache.invalidateSailingAvailability(sailingIds);
}

/**
 * Creates a timetable from a weekly pattern. Idempotent: sailings that already exist at the same route
 * and departure are skipped (unique constraint), so running it twice creates nothing the second time.
 */
export async function generateTimetable(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof timetableInput>,
) {
  const route = await routeZone(deps.db, input.routeId);
  const result = await deps.db.transaction(async (tx) => {
    const planned = await planTimetable(tx, input);
    const r = await createSailings(tx, {
      routeId: input.routeId,
      vesselId: input.vesselId,
      sailings: planned,
    });
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "schedule.generateTimetable",
      entity: "route",
      entityId: input.routeId,
      after: { pattern: input, created: r.created, skipped: r.skipped, sailingIds: r.ids },
    });
    return r;
  });
  if (result.created > 0) await invalidate(deps, route, []);
  return result;
}

export async function createSailing(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof createSailingInput>,
) {
  const route = await routeZone(deps.db, input.routeId);
  const departureAt = localTimeToUtc(input.departureDate, input.departureTime, route.timeZone);
  const now = deps.now?.() ?? new Date();
  if (departureAt.getTime() <= now.getTime()) {
    throw new AppError("BAD_REQUEST", "The departure is in the past.");
  }
  const plan = {
    departureAt,
    arrivalAt: new Date(departureAt.getTime() + (input.durationMinutes ?? route.durationMinutes) * 60_000),
  };
  const id = await deps.db.transaction(async (tx) => {
    const r = await createSailings(tx, {
      routeId: input.routeId,
      vesselId: input.vesselId,
      sailings: [plan],
    });
    const created = r.ids[0];
    if (created === undefined) {
      throw new AppError(
        "CONFLICT",
        `This route already has a sailing at ${input.departureDate} ${input.departureTime}.`,
        { reason: "SAILING_EXISTS" },
      );
    }
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "schedule.create",
      entity: "sailing",
      entityId: created,
      after: { routeId: input.routeId, vesselId: input.vesselId, ...plan },
    });
    return created;
  });
  await invalidate(deps, route, [id]);
  const [row] = await loadSailingRows(deps.db, eq(sailings.id, id));
  return row!;
}

async function lockSailing(tx: DbOrTx, sailingId: number) {
  const [s] = await tx.select().from(sailings).where(eq(sailings.id, sailingId)).for("update");
  if (!s) throw new AppError("NOT_FOUND", `Sailing ${sailingId} does not exist.`);
  const [r] = await tx
    .select({ from: routes.fromPort, to: routes.toPort, timeZone: ports.timeZone })
    .from(routes)
    .innerJoin(ports, eq(ports.code, routes.fromPort))
    .where(eq(routes.id, s.routeId));
  return { sailing: s, route: r! };
}

/**
 * Moves a sailing and/or puts another vessel on it. Inventory stays as it is (bookings keep their places);
 * adjust capacities with `setCapacity` if the new vessel is smaller or larger. Travellers with confirmed
 * bookings are told when the times change.
 */
export async function updateSailing(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof updateSailingInput>,
) {
  const now = deps.now?.() ?? new Date();
  const outcome = await deps.db.transaction(async (tx) => {
    const { sailing, route } = await lockSailing(tx, input.sailingId);
    if (sailing.status === "CANCELLED") {
      throw new AppError("CONFLICT", "This sailing is cancelled and can no longer be changed.");
    }
    if (sailing.departureAt.getTime() <= now.getTime()) {
      throw new AppError("CONFLICT", "This sailing has already left and can no longer be changed.");
    }
    const duration =
      input.durationMinutes ?? (sailing.arrivalAt.getTime() - sailing.departureAt.getTime()) / 60_000;
    const departureAt =
      input.departureDate && input.departureTime
        ? localTimeToUtc(input.departureDate, input.departureTime, route.timeZone)
        : sailing.departureAt;
    if (departureAt.getTime() <= now.getTime()) {
      throw new AppError("BAD_REQUEST", "The new departure is in the past.");
    }
    const arrivalAt = new Date(departureAt.getTime() + duration * 60_000);
    if (input.vesselId !== undefined) {
      const [v] = await tx.select({ id: vessels.id }).from(vessels).where(eq(vessels.id, input.vesselId));
      if (!v) throw new AppError("NOT_FOUND", `Vessel ${input.vesselId} does not exist.`);
    }
    const timesChanged =
      departureAt.getTime() !== sailing.departureAt.getTime() ||
      arrivalAt.getTime() !== sailing.arrivalAt.getTime();
    const before = {
      departureAt: sailing.departureAt,
      arrivalAt: sailing.arrivalAt,
      vesselId: sailing.vesselId,
    };
    const after = { departureAt, arrivalAt, vesselId: input.vesselId ?? sailing.vesselId };
    try {
      // A savepoint, so a clash with another sailing becomes a clear error and not an aborted transaction.
      await tx.transaction(async (sp) => {
        await sp
          .update(sailings)
          .set({ ...after, updatedAt: now })
          .where(eq(sailings.id, sailing.id));
      });
    } catch (e) {
      if (pgErrorCode(e) === "23505") {
        throw new AppError("CONFLICT", "Another sailing on this route already leaves at that time.", {
          reason: "SAILING_EXISTS",
        });
      }
      throw e;
    }
    let notified = 0;
    if (timesChanged && input.notify) {
      const r = await queueSailingNotice(tx, {
        sailingId: sailing.id,
        change: "changed",
        message: input.message ?? null,
        version: now.getTime(),
      });
      notified = r.queued;
    }
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "schedule.update",
      entity: "sailing",
      entityId: sailing.id,
      before,
      after: { ...after, notified },
    });
    return { route, notified };
  });
  await invalidate(deps, outcome.route, [input.sailingId]);
  const [row] = await loadSailingRows(deps.db, eq(sailings.id, input.sailingId));
  return { sailing: row!, notified: outcome.notified };
}

/**
 * Sets capacities per resource. Each row is a conditional UPDATE (`held + sold <= new capacity`), so a
 * capacity can never drop below what bookings already hold or own — even when a booking lands between
 * the admin opening the form and saving it. Any refusal rolls back the whole change.
 */
export async function setCapacity(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof setCapacityInput>,
) {
  const ordered = [...input.capacities].sort((a, b) => resourceOrder[a.resource] - resourceOrder[b.resource]);
  const route = await deps.db.transaction(async (tx) => {
    const { sailing, route } = await lockSailing(tx, input.sailingId);
    const before = await tx.select().from(inventory).where(eq(inventory.sailingId, sailing.id));
    const missing = ordered.filter((c) => !before.some((b) => b.resource === c.resource));
    // Sailings created before a resource existed get its row now.
    if (missing.length) await createInventory(tx, [sailing.id], {});
    const refused: { resource: Resource; requested: number; held: number; sold: number }[] = [];
    for (const c of ordered) {
      const [updated] = await tx
        .update(inventory)
        .set({ capacity: c.capacity })
        .where(
          and(
            eq(inventory.sailingId, sailing.id),
            eq(inventory.resource, c.resource),
            sql`${inventory.held} + ${inventory.sold} <= ${c.capacity}`,
          ),
        )
        .returning({ resource: inventory.resource });
      if (!updated) {
        const [cur] = await tx
          .select()
          .from(inventory)
          .where(and(eq(inventory.sailingId, sailing.id), eq(inventory.resource, c.resource)));
        refused.push({
          resource: c.resource,
          requested: c.capacity,
          held: cur?.held ?? 0,
          sold: cur?.sold ?? 0,
        });
      }
    }
    if (refused.length) {
      const text = refused
        .map((r) => `${r.resource} to ${r.requested} (${r.held} held + ${r.sold} sold = ${r.held + r.sold})`)
        .join("; ");
      throw new AppError(
        "CONFLICT",
        `A capacity cannot go below what is already held and sold. Refused: ${text}. Nothing was changed.`,
        { reason: "BELOW_TAKEN", refused },
      );
    }
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "schedule.setCapacity",
      entity: "sailing",
      entityId: sailing.id,
      before: Object.fromEntries(
        before
          .filter((b) => ordered.some((c) => c.resource === b.resource))
          .map((b) => [b.resource, b.capacity]),
      ),
      after: Object.fromEntries(ordered.map((c) => [c.resource, c.capacity])),
    });
    return route;
  });
  await deps.cache.invalidateSailingAvailability([input.sailingId]);
  // Sold-out flags live in the cached schedule's availability only, but a route bump is cheap insurance.
  await deps.cache.invalidateRoute(route.from, route.to);
  const [row] = await loadSailingRows(deps.db, eq(sailings.id, input.sailingId));
  return row!;
}

/** Bookings on a sailing that are still pending or confirmed: what cancelling the sailing must cancel. */
export async function activeBookingIds(db: DbOrTx, sailingId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: bookings.id })
    .from(bookings)
    .innerJoin(bookingLegs, eq(bookingLegs.bookingId, bookings.id))
    .where(
      and(
        eq(bookingLegs.sailingId, sailingId),
        ne(bookings.status, "CANCELLED"),
        ne(bookings.status, "EXPIRED"),
      ),
    );
  return rows.map((r) => r.id).sort();
}
