import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { fares } from "@/server/db/schema/fares";
import { routes } from "@/server/db/schema/network";
import { accommodations, passengerTypes, vehicleTypes } from "@/server/db/schema/resources";
import { sailings } from "@/server/db/schema/sailings";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { assertOwnRoute } from "@/server/features/operators/own-only";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";

// ---- inputs ---------------------------------------------------------------------------------------

const amount = z
  .number({ error: "Give the price in cents." })
  .int("The price must be a whole number of cents.")
  .min(0, "A price cannot be negative.")
  .max(10_000_000, "That price is not plausible (over 100 000).");
const currency = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as EUR.");
const common = {
  routeId: z.number().int().positive(),
  /** null/omitted: the route's default; a sailing id: an override for that sailing only. */
  sailingId: z.number().int().positive().nullish(),
  amount,
  /** Defaults to the route's currency; a route has one currency. */
  currency: currency.optional(),
};

/** One fare item: a passenger fare (accommodation × passenger type), a vehicle supplement or the pet supplement. */
export const setFareInput = z.discriminatedUnion("kind", [
  z.object({
    ...common,
    kind: z.literal("PASSENGER"),
    accommodation: z.enum(accommodations, {
      error: `Accommodation must be one of: ${accommodations.join(", ")}.`,
    }),
    passengerType: z.enum(passengerTypes, {
      error: `Passenger type must be one of: ${passengerTypes.join(", ")}.`,
    }),
  }),
  z.object({
    ...common,
    kind: z.literal("VEHICLE"),
    vehicleType: z.enum(vehicleTypes, { error: `Vehicle type must be one of: ${vehicleTypes.join(", ")}.` }),
  }),
  z.object({ ...common, kind: z.literal("PET") }),
]);

export const routeFaresInput = z.object({
  routeId: z.number().int().positive(),
  /** When given, also returns the effective fares of that sailing (defaults with its overrides on top). */
  sailingId: z.number().int().positive().optional(),
});

export const removeOverrideInput = z.object({ fareId: z.number().int().positive() });

// ---- reads -----------------------------------------------------------------------------------------

type FareRow = typeof fares.$inferSelect;

function fareView(f: FareRow) {
  return {
    id: f.id,
    routeId: f.routeId,
    sailingId: f.sailingId,
    kind: f.kind,
    accommodation: f.accommodation,
    passengerType: f.passengerType,
    vehicleType: f.vehicleType,
    amount: f.amount,
    currency: f.currency,
    updatedAt: f.updatedAt,
  };
}

/** A route's fare table: defaults, and every per-sailing override with the sailing's departure. */
export async function routeFares(svc: Services, input: z.infer<typeof routeFaresInput>) {
  const { db } = svc;
  const [route] = await db.select().from(routes).where(eq(routes.id, input.routeId));
  if (!route) throw new AppError("NOT_FOUND", `Route ${input.routeId} does not exist.`);
  const [defaults, overrides] = await Promise.all([
    db
      .select()
      .from(fares)
      .where(and(eq(fares.routeId, route.id), isNull(fares.sailingId)))
      .orderBy(asc(fares.kind), asc(fares.accommodation), asc(fares.passengerType), asc(fares.vehicleType)),
    db
      .select({ fare: fares, departureAt: sailings.departureAt, sailingStatus: sailings.status })
      .from(fares)
      .innerJoin(sailings, eq(sailings.id, fares.sailingId))
      .where(and(eq(fares.routeId, route.id), isNotNull(fares.sailingId)))
      .orderBy(asc(sailings.departureAt), asc(fares.kind)),
  ]);
  return {
    route: { id: route.id, from: route.fromPort, to: route.toPort, operatorCode: route.operatorCode },
    currency: defaults[0]?.currency ?? overrides[0]?.fare.currency ?? null,
    defaults: defaults.map(fareView),
    overrides: overrides
      .filter((o) => input.sailingId === undefined || o.fare.sailingId === input.sailingId)
      .map((o) => ({ ...fareView(o.fare), departureAt: o.departureAt, sailingStatus: o.sailingStatus })),
  };
}

// ---- changes ----------------------------------------------------------------------------------------

/**
 * Sets one price: the route default or a sailing's override, inserted or updated in place. Search shows it
 * at once (the route's cache version is bumped after commit). Existing bookings keep their snapshotted
 * price lines, so nothing here touches them.
 */
export async function setFare(svc: Services, actor: Actor, input: z.infer<typeof setFareInput>) {
  const sailingId = input.sailingId ?? null;
  const item = {
    kind: input.kind,
    accommodation: input.kind === "PASSENGER" ? input.accommodation : null,
    passengerType: input.kind === "PASSENGER" ? input.passengerType : null,
    vehicleType: input.kind === "VEHICLE" ? input.vehicleType : null,
  };
  const { fare, route } = await svc.db.transaction(async (tx) => {
    // Locks the route row: two admins editing the same route's prices take turns, so the "before" in the
    // audit row is really what was replaced, and a booking being priced (which share-locks the route in
    // `insertWithHolds`) sees either none or all of this edit.
    const [route] = await tx.select().from(routes).where(eq(routes.id, input.routeId)).for("update");
    if (!route) throw new AppError("NOT_FOUND", `Route ${input.routeId} does not exist.`);
    await assertOwnRoute(tx, route.id);
    if (sailingId !== null) {
      const [s] = await tx
        .select({ routeId: sailings.routeId })
        .from(sailings)
        .where(eq(sailings.id, sailingId));
      if (!s) throw new AppError("NOT_FOUND", `Sailing ${sailingId} does not exist.`);
      if (s.routeId !== route.id) {
        throw new AppError("BAD_REQUEST", `Sailing ${sailingId} is not on this route.`);
      }
    }
    const [any] = await tx
      .select({ currency: fares.currency })
      .from(fares)
      .where(eq(fares.routeId, route.id))
      .limit(1);
    const cur = input.currency ?? any?.currency;
    if (!cur) throw new AppError("BAD_REQUEST", "This route has no prices yet: give the currency.");
    if (any && any.currency !== cur) {
      throw new AppError(
        "BAD_REQUEST",
        `This route is priced in ${any.currency}; a ${cur} price cannot be mixed in.`,
      );
    }
    const same = and(
      eq(fares.routeId, route.id),
      sailingId === null ? isNull(fares.sailingId) : eq(fares.sailingId, sailingId),
      eq(fares.kind, item.kind),
      item.accommodation ? eq(fares.accommodation, item.accommodation) : isNull(fares.accommodation),
      item.passengerType ? eq(fares.passengerType, item.passengerType) : isNull(fares.passengerType),
      item.vehicleType ? eq(fares.vehicleType, item.vehicleType) : isNull(fares.vehicleType),
    );
    const [before] = await tx.select().from(fares).where(same);
    let fare: FareRow;
    if (before) {
      [fare] = (await tx
        .update(fares)
        .set({ amount: input.amount, updatedAt: sql`now()` })
        .where(eq(fares.id, before.id))
        .returning()) as [FareRow];
    } else {
      [fare] = (await tx
        .insert(fares)
        .values({ routeId: route.id, sailingId, ...item, amount: input.amount, currency: cur })
        .returning()) as [FareRow];
    }
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "pricing.setFare",
      entity: "fare",
      entityId: fare.id,
      before: before ? fareView(before) : null,
      after: fareView(fare),
    });
    return { fare, route };
  });
  await svc.cache.invalidateRoute(route.fromPort, route.toPort);
  return fareView(fare);
}

/** Removes a sailing's override so the route default applies again. Route defaults cannot be removed here. */
export async function removeOverride(
  svc: Services,
  actor: Actor,
  input: z.infer<typeof removeOverrideInput>,
) {
  const route = await svc.db.transaction(async (tx) => {
    const [which] = await tx.select({ routeId: fares.routeId }).from(fares).where(eq(fares.id, input.fareId));
    if (!which) throw new AppError("NOT_FOUND", "This price does not exist (any more).");
    // The route row first, as `setFare` does: a booking being priced share-locks it (`insertWithHolds`), so
    // the removal waits for bookings in flight and they never see half of a fare change.
    await tx.select({ id: routes.id }).from(routes).where(eq(routes.id, which.routeId)).for("update");
    const [f] = await tx.select().from(fares).where(eq(fares.id, input.fareId)).for("update");
    if (!f) throw new AppError("NOT_FOUND", "This price does not exist (any more).");
    await assertOwnRoute(tx, f.routeId);
    if (f.sailingId === null) {
      throw new AppError(
        "BAD_REQUEST",
        "This is the route's default price; change it instead of removing it.",
      );
    }
    await tx.delete(fares).where(eq(fares.id, f.id));
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "pricing.removeOverride",
      entity: "fare",
      entityId: f.id,
      before: fareView(f),
      after: null,
    });
    const [r] = await tx.select().from(routes).where(eq(routes.id, f.routeId));
    return r!;
  });
  await svc.cache.invalidateRoute(route.fromPort, route.toPort);
  return { removed: input.fareId };
}
