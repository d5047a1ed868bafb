import { inArray } from "drizzle-orm";
import { env } from "@/env";
import type { Db } from "@/server/db/client";
import {
  bookingLegs,
  bookings,
  bookingVehicles,
  type LegDirection,
  passengers as passengersTable,
  priceLines,
} from "@/server/db/schema/bookings";
import { routes } from "@/server/db/schema/network";
import type { Resource } from "@/server/db/schema/resources";
import { sailings } from "@/server/db/schema/sailings";
import { ensureCheckoutSession } from "@/server/features/payments/checkout";
import { loadSailingFares } from "@/server/features/pricing/fares";
import { type EffectiveFares, requiredResources } from "@/server/features/pricing/quote";
import type { Client } from "@/server/features/security/client-address";
import { AppError, pgErrorCode } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import { newBookingReference } from "@/server/lib/reference";
import { metrics } from "@/server/lib/metrics";
import type { Services } from "@/server/services";
import { localDate } from "@/shared/dates";
import { parseSailingId, sailingIdKey } from "@/shared/sailing-id";
import { type CreateBookingInput, passengerDetails } from "./input";
import { takeHolds } from "./inventory";
import {
  type ConnectedLegRequest,
  type HeldConnectedLeg,
  holdConnectedLeg,
  holdFailure,
  releaseOperatorHolds,
} from "./operator-hold";
import { connectedFacts, loadOwnSailings, type SailingFacts } from "./sailing-facts";
import { upsertShadowSailing } from "./shadow-sailing";
import { countCreateAttempt, enforceUnpaidLimits, type UnpaidCheck, unpaidCheck } from "./limits";
import { type LegRequest, lineCodes, lineDescription, type Priced, priceLegs } from "./price-legs";
import { checkSailingOnSale, validatePassengers, validateVehicle } from "./validate";
import { sailingRoute } from "@/server/db/queries/joins";

export interface CreateBookingResult {
  reference: string;
  status: "PENDING_PAYMENT";
  holdExpiresAt: Date;
  total: { amount: number; currency: string };
  /** Null when Stripe could not be reached: the booking stays held and `booking.pay` retries. */
  checkoutUrl: string | null;
  paymentError?: string;
}

/**
 * A booking: validate, price from Postgres, then one transaction that inserts the booking and holds every
 * resource of every leg (or nothing), and schedules the hold's expiry. Stripe is called after the commit;
 * if it is down the booking stays pending and payable later. `client` (the requester's address) feeds the
 * fair-use limits (`./limits.ts`); server-side callers have none and skip the per-client ones.
 *
 * A connected operator's leg ("GNV:<id>") is priced afresh and held provisionally at its operator first
 * (`./operator-hold.ts`), then recorded in the same transaction on a shadow sailing row
 * (`./shadow-sailing.ts`). All or nothing: when anything after an operator hold fails, that hold is let go
 * by a `release_operator_hold` job.
 */
export async function createBooking(
  svc: Services,
  input: CreateBookingInput,
  client?: Client,
): Promise<CreateBookingResult> {
  const { log } = svc;
  const now = svc.clock.now();
  await countCreateAttempt(svc, client, { now, locale: input.locale });
  const legsIn = [
    { direction: "OUTBOUND" as const, ...input.outbound },
    ...(input.return ? [{ direction: "RETURN" as const, ...input.return }] : []),
  ];
  if (input.return && sailingIdKey(input.return.sailingId) === sailingIdKey(input.outbound.sailingId)) {
    const message = "The return must be a different sailing from the outbound one.";
    throw new AppError("BAD_REQUEST", message, { field: "return" });
  }
  const ownIds: number[] = [];
  const connectedIn: ConnectedLegRequest[] = [];
  for (const l of legsIn) {
    const p = parseSailingId(l.sailingId);
    const which = l.direction === "OUTBOUND" ? "outbound" : "return";
    if (!p) throw new AppError("BAD_REQUEST", "Choose a sailing.", { field: which });
    if (p.source === "own") ownIds.push(p.id);
    else
      connectedIn.push({
        direction: l.direction,
        operator: p.operator,
        operatorSailingId: p.operatorSailingId,
        accommodation: l.accommodation,
      });
  }
  const byId = await loadOwnSailings(svc, ownIds);
  for (const l of legsIn) {
    if (typeof l.sailingId !== "number") continue;
    const s = byId.get(l.sailingId);
    const which = l.direction === "OUTBOUND" ? "outbound" : "return";
    if (!s)
      throw new AppError("NOT_FOUND", `The ${which} sailing does not exist. Search again.`, { field: which });
    checkSailingOnSale(s, which, now);
  }

  // Connected legs are held at their operators first (outside any transaction: they are slow), under the
  // reference the booking will carry. From here on, any failure lets go of what they hold.
  const reference = newBookingReference();
  const held: HeldConnectedLeg[] = [];
  if (connectedIn.length > 0) {
    const outcomes = await Promise.all(connectedIn.map((l) => holdConnectedLeg(svc, l, reference, input)));
    for (const o of outcomes) if (o.ok) held.push(o.leg);
    const failed = outcomes.filter((o) => !o.ok);
    if (failed[0]) {
      const release = [
        ...held,
        ...failed
          .filter((f) => f.mayExist)
          .map((f) => ({ operator: f.leg.operator, agentReference: f.agentReference })),
      ];
      await releaseOperatorHolds(svc.db, release);
      log.warn("operator hold failed", {
        legs: legsIn.length,
        released: release.length,
        error: failed[0].error,
      });
      throw holdFailure(failed[0]);
    }
  }
  const state = { committed: false };
  try {
    return await createHeld(svc, input, { client, now, legsIn, byId, held, reference, state });
  } catch (e) {
    if (held.length > 0 && !state.committed) await releaseOperatorHolds(svc.db, held);
    throw e;
  }
}

async function createHeld(
  svc: Services,
  input: CreateBookingInput,
  a: {
    client?: Client;
    now: Date;
    legsIn: (CreateBookingInput["outbound"] & { direction: LegDirection })[];
    byId: Map<number, SailingFacts>;
    held: HeldConnectedLeg[];
    reference: string;
    state: { committed: boolean };
  },
): Promise<CreateBookingResult> {
  const { log } = svc;
  const { now, held } = a;
  const connected = await connectedFacts(svc, held);
  const factsOf = (l: (typeof a.legsIn)[number]) =>
    typeof l.sailingId === "number" ? a.byId.get(l.sailingId)! : connected.get(l.direction)!;
  for (const l of a.legsIn) {
    if (typeof l.sailingId !== "number")
      checkSailingOnSale(factsOf(l), l.direction === "OUTBOUND" ? "outbound" : "return", now);
  }
  const out = factsOf(a.legsIn[0]!);
  const ret = a.legsIn[1] ? factsOf(a.legsIn[1]) : undefined;
  if (ret) {
    if (ret.fromPort !== out.toPort || ret.toPort !== out.fromPort) {
      const message = `The return must sail from ${out.toPort} back to ${out.fromPort}.`;
      throw new AppError("BAD_REQUEST", message, { field: "return" });
    }
    if (ret.departureAt.getTime() < out.arrivalAt.getTime() + 2 * 3600_000) {
      const message = "The return must leave at least 2 hours after the outbound sailing arrives.";
      throw new AppError("BAD_REQUEST", message, { field: "return" });
    }
  }

  const party = validatePassengers(
    input,
    localDate(out.departureAt, out.fromTz),
    out.international || !!ret?.international,
  );
  if (input.vehicle) validateVehicle(input.vehicle);

  const extras = { vehicleType: input.vehicle?.type, pets: input.pets };
  const legs: LegRequest[] = a.legsIn.flatMap((l) =>
    typeof l.sailingId === "number"
      ? [
          {
            direction: l.direction,
            sailingId: l.sailingId,
            accommodation: l.accommodation,
            needs: (
              Object.entries(requiredResources(party, l.accommodation, extras)) as [Resource, number][]
            ).map(([resource, quantity]) => ({ sailingId: l.sailingId as number, resource, quantity })),
          },
        ]
      : [],
  );
  const ids = legs.map((l) => l.sailingId);
  // The booking must not outlive its operators' provisional bookings: a payment after those lapsed could
  // not be confirmed. Two minutes of margin for the confirmation to reach them.
  const holdEnds = [now.getTime() + env.HOLD_MINUTES * 60_000];
  for (const h of held) if (h.expiresAt) holdEnds.push(h.expiresAt.getTime() - 2 * 60_000);
  const holdExpiresAt = new Date(Math.min(...holdEnds));

  const needs = legs.flatMap((l) => l.needs);
  const check = unpaidCheck(svc, a.client, { email: input.contact.email, locale: input.locale, now, needs });
  // The traveller gets an answer within 3 s of the holds even when Stripe hangs.
  const answerBy = performance.now() + 2_700;
  const { bookingId, reference, total, currency, plans } = await insertWithHolds(svc.db, {
    input,
    price: (fares) => withConnected(legs.length > 0 ? priceLegs(fares, legs, party, extras) : null, held),
    holdExpiresAt,
    ids,
    check,
    held,
    reference: a.reference,
  });
  a.state.committed = true;
  log.info("booking held", { bookingId, legs: plans.length + held.length, total, currency });
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
    held: HeldConnectedLeg[];
    /** The reference the connected legs were held under: then it cannot change. */
    reference: string;
  },
): Promise<{ bookingId: string; reference: string } & Priced> {
  for (let attempt = 0; ; attempt++) {
    const reference = attempt === 0 ? a.reference : newBookingReference();
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
          .innerJoin(routes, sailingRoute)
          .where(inArray(sailings.id, a.ids))
          .orderBy(sailings.id)
          .for("share");
        for (const row of locked) {
          if (row.status !== "SCHEDULED") {
            throw new AppError(
              "SAILING_CANCELLED",
              "This sailing has just been cancelled. Choose another sailing.",
            );
          }
        }
        priced = a.price(await loadSailingFares(tx, a.ids));
        const { plans, total, currency } = priced;
        const shadows: number[] = [];
        for (const h of a.held) shadows.push((await upsertShadowSailing(tx, h.operator, h.sailing)).id);
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
          tx.insert(bookingLegs).values([
            ...plans.map((p) => ({
              bookingId: id,
              direction: p.direction,
              sailingId: p.sailingId,
              accommodation: p.accommodation,
            })),
            ...a.held.map((h, i) => ({
              bookingId: id,
              direction: h.direction,
              sailingId: shadows[i]!,
              accommodation: h.accommodation,
              operatorReference: h.operatorReference,
              operatorStatus: "provisional" as const,
            })),
          ]),
          tx
            .insert(passengersTable)
            .values(
              a.input.passengers.map((p, i) => ({ bookingId: id, position: i + 1, ...passengerDetails(p) })),
            ),
          a.input.vehicle ? tx.insert(bookingVehicles).values({ bookingId: id, ...a.input.vehicle }) : null,
          tx.insert(priceLines).values([
            ...plans.flatMap((p) =>
              p.lines.map((l) => ({
                bookingId: id,
                direction: p.direction,
                ...lineCodes(l, p.accommodation),
                description: lineDescription(l, p.accommodation),
                quantity: l.quantity,
                unitAmount: l.unitAmount,
                amount: l.amount,
                currency,
              })),
            ),
            ...a.held.flatMap((h) =>
              h.lines.map((l) => ({ bookingId: id, direction: h.direction, ...l, currency })),
            ),
          ]),
          enqueue(tx, "expire_hold", { bookingId: id }, { runAt: a.holdExpiresAt, jobKey: `hold:${id}` }),
        ]);
        await takeHolds(
          tx,
          id,
          plans.flatMap((p) => p.needs),
        );
        return id;
      });
      metrics().bookings.inc({ status: "PENDING_PAYMENT" });
      return { bookingId, reference, ...priced! };
    } catch (e) {
      // 40 bits make a collision unlikely, not impossible: try another reference.
      if (
        a.held.length === 0 &&
        pgErrorCode(e) === "23505" &&
        String((e as { constraint_name?: string }).constraint_name ?? e).includes("reference") &&
        attempt < 3
      )
        continue;
      throw e;
    }
  }
}

/** The whole booking's price: the own legs' (null when none) plus each connected leg's marked-up total. */
function withConnected(own: Priced | null, held: HeldConnectedLeg[]): Priced {
  const currencies = new Set([...(own ? [own.currency] : []), ...held.map((h) => h.currency)]);
  if (currencies.size !== 1)
    throw new AppError("BAD_REQUEST", "Both legs must be priced in the same currency.");
  const total = (own?.total ?? 0) + held.reduce((sum, h) => sum + h.total, 0);
  return { plans: own?.plans ?? [], total, currency: [...currencies][0] as string };
}
