import { env } from "@/env";
import type { LegDirection } from "@/server/db/schema/bookings";
import type { Resource } from "@/server/db/schema/resources";
import { checkoutParams, createCheckoutSession } from "@/server/features/payments/checkout";
import { requiredResources } from "@/server/features/pricing/quote";
import type { Client } from "@/server/features/security/client-address";
import { AppError } from "@/server/lib/errors";
import { newBookingReference } from "@/server/lib/reference";
import type { Services } from "@/server/services";
import { localDate } from "@/shared/dates";
import { parseSailingId, sailingIdKey } from "@/shared/sailing-id";
import type { CreateBookingInput } from "./input";
import { insertWithHolds, withConnected } from "./insert-booking";
import { countCreateAttempt, unpaidCheck } from "./limits";
import {
  type ConnectedLegRequest,
  type HeldConnectedLeg,
  holdConnectedLeg,
  holdFailure,
  releaseOperatorHolds,
} from "./operator-hold";
import { type LegRequest, priceLegs } from "./price-legs";
import { connectedFacts, loadOwnSailings, type SailingFacts } from "./sailing-facts";
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
  const { bookingId, reference, total, currency, plans, checkout } = await insertWithHolds(svc.db, {
    input,
    price: (fares) => withConnected(legs.length > 0 ? priceLegs(fares, legs, party, extras) : null, held),
    holdExpiresAt,
    now: svc.clock.now(),
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
    const params = checkoutParams(checkout);
    checkoutUrl = (await createCheckoutSession(svc, checkout.payment.id, params, { answerBy })).url;
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
