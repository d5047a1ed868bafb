import { eq, inArray } from "drizzle-orm";
import { env } from "@/env";
import type { Db } from "@/server/db/client";
import { sailingWith, toSailingView } from "@/server/db/queries/sailing-view";
import {
  bookingLegs,
  bookings,
  bookingVehicles,
  passengers as passengersTable,
  priceLines,
} from "@/server/db/schema/bookings";
import { routes } from "@/server/db/schema/network";
import type { PassengerType, Resource } from "@/server/db/schema/resources";
import { sailings } from "@/server/db/schema/sailings";
import { ensureCheckoutSession } from "@/server/features/payments/checkout";
import { loadSailingFares } from "@/server/features/pricing/fares";
import { type EffectiveFares, type QuoteLine, requiredResources } from "@/server/features/pricing/quote";
import { ACCOMMODATION_NAMES } from "@/server/features/search/sailings";
import type { Client } from "@/server/features/security/client-address";
import { AppError, pgErrorCode } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import { newBookingReference } from "@/server/lib/reference";
import type { Services } from "@/server/services";
import { localDate } from "@/shared/dates";
import type { CreateBookingInput } from "./input";
import { takeHolds } from "./inventory";
import { countCreateAttempt, enforceUnpaidLimits, type UnpaidCheck, unpaidCheck } from "./limits";
import { type LegRequest, type Priced, priceLegs } from "./price-legs";
import { checkSailingOnSale, validatePassengers, validateVehicle } from "./validate";

export interface CreateBookingResult {
  reference: string;
  status: "PENDING_PAYMENT";
  holdExpiresAt: Date;
  total: { amount: number; currency: string };
  /** Null when Stripe could not be reached: the booking stays held and `booking.pay` retries. */
  checkoutUrl: string | null;
  paymentError?: string;
}

const PASSENGER_WORDS: Record<PassengerType, string> = {
  adult: "Adult",
  child: "Child (4–11)",
  infant: "Infant (0–3)",
};

/**
 * A booking: validate, price from Postgres, then one transaction that inserts the booking and holds every
 * resource of every leg (or nothing), and schedules the hold's expiry. Stripe is called after the commit;
 * if it is down the booking stays pending and payable later. `client` (the requester's address) feeds the
 * fair-use limits (`./limits.ts`); server-side callers have none and skip the per-client ones.
 */
export async function createBooking(
  svc: Services,
  input: CreateBookingInput,
  client?: Client,
): Promise<CreateBookingResult> {
  const { log } = svc;
  const now = svc.clock.now();
  // The traveller gets an answer within 3 s even when Stripe hangs: its call must be over by then.
  const answerBy = performance.now() + 2_700;
  await countCreateAttempt(svc, client, { now, locale: input.locale });
  const legsIn = [
    { direction: "OUTBOUND" as const, ...input.outbound },
    ...(input.return ? [{ direction: "RETURN" as const, ...input.return }] : []),
  ];
  if (input.return && input.return.sailingId === input.outbound.sailingId) {
    const message = "The return must be a different sailing from the outbound one.";
    throw new AppError("BAD_REQUEST", message, { field: "return" });
  }
  const ids = legsIn.map((l) => l.sailingId);
  const found = await svc.db.query.sailings.findMany({ ...sailingWith, where: inArray(sailings.id, ids) });
  const sailingRows = found.map(toSailingView);
  const byId = new Map(sailingRows.map((s) => [s.id, s]));
  for (const l of legsIn) {
    const s = byId.get(l.sailingId);
    const which = l.direction === "OUTBOUND" ? "outbound" : "return";
    if (!s)
      throw new AppError("NOT_FOUND", `The ${which} sailing does not exist. Search again.`, { field: which });
    checkSailingOnSale(s, which, now);
  }
  const out = byId.get(input.outbound.sailingId)!;
  const ret = input.return ? byId.get(input.return.sailingId)! : undefined;
  if (ret) {
    if (ret.from.code !== out.to.code || ret.to.code !== out.from.code) {
      const message = `The return must sail from ${out.to.code} back to ${out.from.code}.`;
      throw new AppError("BAD_REQUEST", message, { field: "return" });
    }
    if (ret.departureAt.getTime() < out.arrivalAt.getTime() + 2 * 3600_000) {
      const message = "The return must leave at least 2 hours after the outbound sailing arrives.";
      throw new AppError("BAD_REQUEST", message, { field: "return" });
    }
  }

  const party = validatePassengers(
    input,
    localDate(out.departureAt, out.from.timeZone),
    out.route.international || !!ret?.route.international,
  );
  if (input.vehicle) validateVehicle(input.vehicle);

  const extras = { vehicleType: input.vehicle?.type, pets: input.pets };
  const legs: LegRequest[] = legsIn.map((l) => ({
    direction: l.direction,
    sailingId: l.sailingId,
    accommodation: l.accommodation,
    needs: (Object.entries(requiredResources(party, l.accommodation, extras)) as [Resource, number][]).map(
      ([resource, quantity]) => ({ sailingId: l.sailingId, resource, quantity }),
    ),
  }));
  const holdExpiresAt = new Date(now.getTime() + env.HOLD_MINUTES * 60_000);

  const needs = legs.flatMap((l) => l.needs);
  const check = unpaidCheck(svc, client, { email: input.contact.email, locale: input.locale, now, needs });
  const { bookingId, reference, total, currency, plans } = await insertWithHolds(svc.db, {
    input,
    price: (fares) => priceLegs(fares, legs, party, extras),
    holdExpiresAt,
    ids,
    check,
  });
  log.info("booking held", { bookingId, legs: plans.length, total, currency });
  // Availability shown by search changes with this hold; done while Stripe creates the session.
  const invalidated = svc.cache.invalidateSailingAvailability(ids);

  let checkoutUrl: string | null = null;
  let paymentError: string | undefined;
  try {
    checkoutUrl = (await ensureCheckoutSession(svc, bookingId, { answerBy })).url;
  } catch (e) {
    paymentError =
      e instanceof AppError
        ? e.message
        : "We could not reach our payment provider. Your places are held: try paying again in a moment.";
    log.warn("checkout session not created", { bookingId, error: e });
  }
  await invalidated;
  return {
    reference,
    status: "PENDING_PAYMENT",
    holdExpiresAt,
    total: { amount: total, currency },
    checkoutUrl,
    paymentError,
  };
}

async function insertWithHolds(
  db: Db,
  a: {
    input: CreateBookingInput;
    price: (fares: Map<number, EffectiveFares>) => Priced;
    holdExpiresAt: Date;
    ids: number[];
    check: UnpaidCheck;
  },
): Promise<{ bookingId: string; reference: string } & Priced> {
  for (let attempt = 0; ; attempt++) {
    const reference = newBookingReference();
    try {
      let priced: Priced | undefined;
      const bookingId = await db.transaction(async (tx) => {
        await enforceUnpaidLimits(tx, a.check);
        // Share-lock the sailings and their routes, in sailing id order. An admin cancelling a sailing
        // (UPDATE) waits for us, and we see its status as of now. The route lock is what makes the price
        // consistent: `setFare` and `removeOverride` take the route row FOR UPDATE before they change any
        // fare of it, so a fare edit either committed before we got this lock, and the fare read below (a
        // new statement, so a new snapshot under READ COMMITTED) sees all of it, or it waits until we have
        // committed. Every line of the booking comes from one version of the fares, and the version in
        // force when the booking commits. Reading the fares in this same statement would not do: a row
        // lock that had to wait re-reads only the locked rows, not the rest of the statement's snapshot.
        const locked = await tx
          .select({ id: sailings.id, status: sailings.status })
          .from(sailings)
          .innerJoin(routes, eq(routes.id, sailings.routeId))
          .where(inArray(sailings.id, a.ids))
          .orderBy(sailings.id)
          .for("share");
        for (const row of locked) {
          if (row.status !== "SCHEDULED") {
            throw new AppError("CONFLICT", "This sailing has just been cancelled. Choose another sailing.", {
              reason: "SAILING_CANCELLED",
            });
          }
        }
        priced = a.price(await loadSailingFares(tx, a.ids));
        const { plans, total, currency } = priced;
        const [b] = await tx
          .insert(bookings)
          .values({
            reference,
            contactEmail: a.input.contact.email,
            contactPhone: a.input.contact.phone,
            clientKey: a.check.clientKey,
            locale: a.input.locale,
            totalAmount: total,
            currency,
            holdExpiresAt: a.holdExpiresAt,
          })
          .returning({ id: bookings.id });
        const id = b!.id;
        // Independent inserts go out together: postgres.js pipelines them on the transaction's
        // connection, so they cost one round trip instead of five. The holds come last and in order:
        // inventory rows stay locked for the shortest time, always in the same sequence.
        await Promise.all([
          tx.insert(bookingLegs).values(
            plans.map((p) => ({
              bookingId: id,
              direction: p.direction,
              sailingId: p.sailingId,
              accommodation: p.accommodation,
            })),
          ),
          tx.insert(passengersTable).values(
            a.input.passengers.map((p, i) => ({
              bookingId: id,
              position: i + 1,
              type: p.type,
              firstName: p.firstName,
              lastName: p.lastName,
              dateOfBirth: p.dateOfBirth ?? null,
              nationality: p.nationality ?? null,
              documentNumber: p.documentNumber ?? null,
            })),
          ),
          a.input.vehicle ? tx.insert(bookingVehicles).values({ bookingId: id, ...a.input.vehicle }) : null,
          tx.insert(priceLines).values(
            plans.flatMap((p) =>
              p.lines.map((l) => ({
                bookingId: id,
                direction: p.direction,
                description: lineDescription(l, p.accommodation),
                quantity: l.quantity,
                unitAmount: l.unitAmount,
                amount: l.amount,
                currency,
              })),
            ),
          ),
          enqueue(tx, "expire_hold", { bookingId: id }, { runAt: a.holdExpiresAt, jobKey: `hold:${id}` }),
        ]);
        await takeHolds(
          tx,
          id,
          plans.flatMap((p) => p.needs),
        );
        return id;
      });
      return { bookingId, reference, ...priced! };
    } catch (e) {
      // 40 bits make a collision unlikely, not impossible: try another reference.
      if (
        pgErrorCode(e) === "23505" &&
        String((e as { constraint_name?: string }).constraint_name ?? e).includes("reference") &&
        attempt < 3
      )
        continue;
      throw e;
    }
  }
}

function lineDescription(l: QuoteLine, accommodation: keyof typeof ACCOMMODATION_NAMES): string {
  if (l.kind === "passenger")
    return `${PASSENGER_WORDS[l.passengerType!]} · ${ACCOMMODATION_NAMES[accommodation]}`;
  if (l.kind === "vehicle") return `Vehicle · ${l.vehicleType!.replace("_", " ")}`;
  return "Pet (kennel)";
}
