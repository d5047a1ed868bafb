import { eq } from "drizzle-orm";
import { bookings } from "@/server/db/schema/bookings";
import type { BookingRef, CancelCharge } from "@/server/features/operators/connector";
import { isOperatorError, isRefusal } from "@/server/features/operators/operator-error";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { type ConnectedLeg, connectedLegsOf } from "./operator-legs";

/**
 * Cancelling a paid booking with connected legs. The operator is called *before* the transaction that
 * locks the booking and decides the refund (`cancelLockedBooking`), never inside it: a row lock must not
 * wait on another company's network, and the operator's answer is the fact the refund depends on (its
 * charge). Each leg: GetCancelCharge, then CancelBooking with that charge as `expectedCharge`, so the
 * operator refuses rather than charge more than we computed with. CancelBooking is idempotent by our
 * reference, so when our transaction then fails (or a second cancel races us, and finds the booking
 * already cancelled), repeating the cancellation answers the recorded charge again: nothing is charged
 * twice, and the refund is decided once, under the lock.
 */

const unreachable = () =>
  new AppError(
    "OPERATOR_UNAVAILABLE",
    "We could not reach the ferry company to cancel. Nothing was cancelled or charged: try again in a moment.",
    {},
  );

function refOf(leg: ConnectedLeg): BookingRef {
  return { agentReference: leg.agentReference, operatorReference: leg.operatorReference };
}

/** A charge already recorded at the operator (cancelled earlier, by us or by the operator). */
function settled(cc: CancelCharge): boolean {
  return cc.booking.status !== "PROVISIONAL" && cc.booking.status !== "CONFIRMED";
}

async function liveLegs(svc: Services, bookingId: string) {
  const [b] = await svc.db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (b?.status !== "CONFIRMED") return { legs: [] as ConnectedLeg[], currency: b?.currency ?? "EUR" };
  const legs = (await connectedLegsOf(svc.db, b)).filter((l) => l.operatorStatus === "confirmed");
  return { legs, currency: b.currency };
}

/** The live legs, each with its operator's connector (none is looked up when there is no leg). */
async function liveLegsAtOperators(svc: Services, bookingId: string) {
  const { legs, currency } = await liveLegs(svc, bookingId);
  if (legs.length === 0) return { legs: [], currency };
  const directory = await svc.operators();
  const at = legs.map((leg) => {
    const connector = directory.get(leg.operator);
    if (!connector) throw unreachable();
    return { leg, connector };
  });
  return { legs: at, currency };
}

/** What the operators would charge for cancelling now (0 for a booking with no confirmed connected leg). */
export async function operatorChargePreview(svc: Services, bookingId: string): Promise<number> {
  const { legs, currency } = await liveLegsAtOperators(svc, bookingId);
  let total = 0;
  for (const { leg, connector } of legs) {
    try {
      const cc = await connector.cancelCharge(refOf(leg));
      total += chargeIn(cc.charge, currency);
    } catch (e) {
      if (isOperatorError(e) && e.kind === "refused") return 0;
      throw unreachable();
    }
  }
  return total;
}

export interface OperatorCancellation {
  /** What the operators keep, in the booking's currency. */
  charge: number;
  /** The legs now cancelled at their operators. */
  legIds: number[];
}

/**
 * Cancels the booking's confirmed connected legs at their operators and returns the total charge they
 * keep, in the booking's currency. A sailing the operator cancelled charges nothing.
 */
export async function cancelAtOperators(svc: Services, bookingId: string): Promise<OperatorCancellation> {
  const { legs, currency } = await liveLegsAtOperators(svc, bookingId);
  if (legs.length === 0) return { charge: 0, legIds: [] };
  let total = 0;
  for (const { leg, connector } of legs) {
    try {
      const cc = await connector.cancelCharge(refOf(leg));
      if (settled(cc)) {
        total += chargeIn(cc.charge, currency);
        continue;
      }
      try {
        total += chargeIn((await connector.cancel(refOf(leg), cc.charge)).charge, currency);
      } catch (e) {
        // The band changed between the two calls (a departure crossed 7 days, 48 hours): once more.
        if (!isRefusal(e, "CHARGE_CHANGED") || !e.charge) throw e;
        total += chargeIn((await connector.cancel(refOf(leg), e.charge.charge)).charge, currency);
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (isRefusal(e, "SAILING_DEPARTED")) {
        throw new AppError(
          "DEPARTED",
          "The sailing has already left, so the booking can no longer be cancelled.",
          {},
        );
      }
      if (isOperatorError(e) && e.kind === "refused") {
        throw new AppError(
          "OPERATOR_REFUSED",
          "The ferry company refused the cancellation. Contact us to cancel.",
        );
      }
      throw unreachable();
    }
  }
  return { charge: total, legIds: legs.map((l) => l.leg.legId) };
}

function chargeIn(m: { amount: number; currency: string }, currency: string): number {
  // Bookings are created only when every leg is priced in one currency, the operators' included.
  if (m.currency !== currency) throw new AppError("INTERNAL", "The operator charged in another currency.");
  return m.amount;
}
