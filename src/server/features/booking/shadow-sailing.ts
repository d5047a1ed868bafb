import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { ports, routes, vessels } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import type { ConnectedSailing } from "@/server/features/operators/connector";
import { AppError } from "@/server/lib/errors";
import { sailingRoute } from "@/server/db/queries/joins";

/**
 * The `sailings` row standing for a connected operator's sailing, written when a booking takes it so that
 * everything reading bookings (view, emails, tickets, admin, refunds) finds the leg as for an own sailing.
 * Its route is the operator's route row (created from the operator's data when missing), its vessel found
 * by name; times and status follow what the operator said last. It has no inventory rows: places are held
 * at the operator.
 */
export async function upsertShadowSailing(
  tx: DbOrTx,
  operator: string,
  s: ConnectedSailing,
): Promise<{ id: number; routeId: number }> {
  const routeId = await routeFor(tx, operator, s);
  const vesselId = await vesselFor(tx, operator, s.vesselName);
  const [row] = await tx
    .insert(sailings)
    .values({
      routeId,
      vesselId,
      departureAt: s.departureAt,
      arrivalAt: s.arrivalAt,
      status: s.status,
      operatorSailingId: s.sailingRef,
    })
    .onConflictDoUpdate({
      target: [sailings.routeId, sailings.operatorSailingId],
      set: {
        departureAt: s.departureAt,
        arrivalAt: s.arrivalAt,
        vesselId,
        // A cancellation is never undone by a stale answer.
        status: sql`case when ${sailings.status} = 'CANCELLED' then 'CANCELLED' else ${s.status} end`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: sailings.id });
  return { id: row!.id, routeId };
}

async function routeFor(tx: DbOrTx, operator: string, s: ConnectedSailing): Promise<number> {
  const where = and(eq(routes.fromPort, s.from), eq(routes.toPort, s.to), eq(routes.operatorCode, operator));
  const [found] = await tx.select({ id: routes.id }).from(routes).where(where);
  if (found) return found.id;
  const known = await tx
    .select({ code: ports.code, country: ports.country })
    .from(ports)
    .where(sql`${ports.code} in (${s.from}, ${s.to})`);
  if (known.length !== 2) {
    throw new AppError(
      "SAILING_NOT_SOLD",
      "This sailing's ports are not sold on Traverse yet. Choose another sailing.",
      {},
    );
  }
  await tx
    .insert(routes)
    .values({
      fromPort: s.from,
      toPort: s.to,
      operatorCode: operator,
      durationMinutes: s.durationMinutes,
      international: known[0]!.country !== known[1]!.country,
    })
    .onConflictDoNothing();
  const [created] = await tx.select({ id: routes.id }).from(routes).where(where);
  return created!.id;
}

async function vesselFor(tx: DbOrTx, operator: string, name: string): Promise<number> {
  await tx.insert(vessels).values({ operatorCode: operator, name }).onConflictDoNothing();
  const [v] = await tx.select({ id: vessels.id }).from(vessels).where(eq(vessels.name, name));
  return v!.id;
}

/** The shadow row of a connected operator's sailing, if a booking ever took it. */
export async function findShadowSailing(
  db: DbOrTx,
  operator: string,
  operatorSailingId: string,
): Promise<{ id: number; status: string; departureAt: Date } | undefined> {
  const [row] = await db
    .select({ id: sailings.id, status: sailings.status, departureAt: sailings.departureAt })
    .from(sailings)
    .innerJoin(routes, sailingRoute)
    .where(and(eq(routes.operatorCode, operator), eq(sailings.operatorSailingId, operatorSailingId)));
  return row;
}
