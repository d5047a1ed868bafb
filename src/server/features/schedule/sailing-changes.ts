import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { ports, routes, vessels } from "@/server/db/schema/network";
import { type Resource, resourceOrder } from "@/server/db/schema/resources";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { queueSailingNotice } from "@/server/features/email/outbox";
import { assertOwnRoute } from "@/server/features/operators/own-only";
import { AppError, pgErrorCode } from "@/server/lib/errors";
import { localTimeToUtc } from "@/shared/dates";
import type { Services } from "@/server/services";
import type { createSailingInput, setCapacityInput, timetableInput, updateSailingInput } from "./inputs";
import { loadSailingRows, routeZone } from "./sailing-rows";
import { createInventory, createSailings, planTimetable } from "./timetable";

/**
 * What admins change in the schedule: timetables, single sailings, times and vessels, capacities. Each
 * change is audited in its own transaction and the display cache is invalidated once it has committed.
 */

/** After a schedule change commits: searches show it at once (route version) and availability is fresh. */
async function invalidate(svc: Services, route: { from: string; to: string }, sailingIds: number[]) {
  await svc.cache.invalidateRoute(route.from, route.to);
  if (sailingIds.length) await svc.cache.invalidateSailingAvailability(sailingIds);
}

/**
 * Creates a timetable from a weekly pattern. Idempotent: sailings that already exist at the same route
 * and departure are skipped (unique constraint), so running it twice creates nothing the second time.
 */
export async function generateTimetable(svc: Services, actor: Actor, input: z.infer<typeof timetableInput>) {
  const route = await routeZone(svc.db, input.routeId);
  await assertOwnRoute(svc.db, input.routeId);
  const result = await svc.db.transaction(async (tx) => {
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
  if (result.created > 0) await invalidate(svc, route, []);
  return result;
}

export async function createSailing(svc: Services, actor: Actor, input: z.infer<typeof createSailingInput>) {
  const route = await routeZone(svc.db, input.routeId);
  await assertOwnRoute(svc.db, input.routeId);
  const departureAt = localTimeToUtc(input.departureDate, input.departureTime, route.timeZone);
  const now = svc.clock.now();
  if (departureAt.getTime() <= now.getTime()) {
    throw new AppError("BAD_REQUEST", "The departure is in the past.");
  }
  const plan = {
    departureAt,
    arrivalAt: new Date(departureAt.getTime() + (input.durationMinutes ?? route.durationMinutes) * 60_000),
  };
  const id = await svc.db.transaction(async (tx) => {
    const r = await createSailings(tx, {
      routeId: input.routeId,
      vesselId: input.vesselId,
      sailings: [plan],
    });
    const created = r.ids[0];
    if (created === undefined) {
      throw new AppError(
        "SAILING_EXISTS",
        `This route already has a sailing at ${input.departureDate} ${input.departureTime}.`,
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
  await invalidate(svc, route, [id]);
  const [row] = await loadSailingRows(svc.db, eq(sailings.id, id));
  return row!;
}

export async function lockSailing(tx: DbOrTx, sailingId: number) {
  const [s] = await tx.select().from(sailings).where(eq(sailings.id, sailingId)).for("update");
  if (!s) throw new AppError("NOT_FOUND", `Sailing ${sailingId} does not exist.`);
  // Only admins' edits lock a sailing here, and they apply to own operators only.
  await assertOwnRoute(tx, s.routeId);
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
export async function updateSailing(svc: Services, actor: Actor, input: z.infer<typeof updateSailingInput>) {
  const now = svc.clock.now();
  const outcome = await svc.db.transaction(async (tx) => {
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
        throw new AppError("SAILING_EXISTS", "Another sailing on this route already leaves at that time.");
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
  await invalidate(svc, outcome.route, [input.sailingId]);
  const [row] = await loadSailingRows(svc.db, eq(sailings.id, input.sailingId));
  return { sailing: row!, notified: outcome.notified };
}

/**
 * Sets capacities per resource. Each row is a conditional UPDATE (`held + sold <= new capacity`), so a
 * capacity can never drop below what bookings already hold or own — even when a booking lands between
 * the admin opening the form and saving it. Any refusal rolls back the whole change.
 */
export async function setCapacity(svc: Services, actor: Actor, input: z.infer<typeof setCapacityInput>) {
  const ordered = [...input.capacities].sort((a, b) => resourceOrder[a.resource] - resourceOrder[b.resource]);
  const route = await svc.db.transaction(async (tx) => {
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
        "BELOW_TAKEN",
        `A capacity cannot go below what is already held and sold. Refused: ${text}. Nothing was changed.`,
        { refused },
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
  await svc.cache.invalidateSailingAvailability([input.sailingId]);
  // Sold-out flags live in the cached schedule's availability only, but a route bump is cheap insurance.
  await svc.cache.invalidateRoute(route.from, route.to);
  const [row] = await loadSailingRows(svc.db, eq(sailings.id, input.sailingId));
  return row!;
}
