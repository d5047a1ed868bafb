import { and, eq, notInArray } from "drizzle-orm";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { isOperatorError, isRefusal } from "@/server/features/operators/operator-error";
import type { Services } from "@/server/services";
import { RetryOperatorLater } from "./operator-confirm";

export type ReleaseOutcome = "CANCELLED" | "ALREADY_ENDED" | "NOT_FOUND" | "OWNED";

/**
 * The `release_operator_hold` job: RecallBooking by our agent reference, then CancelBooking whatever is
 * still alive there, unless a live booking of ours owns it (then it is not ours to let go).
 *
 * "Not found" may only mean a Book that timed out has not landed yet (an operator that hung processes it
 * later), so it is retried through the job's attempts (`lastAttempt` false) before being taken as final.
 * Transient errors are retried the same way. Cancelling a provisional booking costs nothing; a confirmed
 * one whose booking we refunded is cancelled at whatever charge the operator asks (Traverse bears it).
 */
export async function releaseOperatorHold(
  svc: Services,
  job: { operator: string; agentReference: string },
  lastAttempt: boolean,
): Promise<ReleaseOutcome> {
  const connector = (await svc.operators()).get(job.operator);
  if (!connector) throw new RetryOperatorLater(`operator ${job.operator} is not active`);
  try {
    const found = await connector.recall({ agentReference: job.agentReference });
    if (found.status !== "PROVISIONAL" && found.status !== "CONFIRMED") return "ALREADY_ENDED";
    const [owner] = await svc.db
      .select({ id: bookings.id })
      .from(bookingLegs)
      .innerJoin(bookings, eq(bookings.id, bookingLegs.bookingId))
      .where(
        and(
          eq(bookingLegs.operatorReference, found.operatorReference),
          notInArray(bookingLegs.operatorStatus, ["released", "cancelled"]),
          notInArray(bookings.status, ["CANCELLED", "EXPIRED"]),
        ),
      );
    if (owner) return "OWNED";
    await connector.cancel({
      agentReference: job.agentReference,
      operatorReference: found.operatorReference,
    });
    svc.log.info("operator hold released", { operator: job.operator, agentReference: job.agentReference });
    return "CANCELLED";
  } catch (e) {
    if (isRefusal(e, "BOOKING_NOT_FOUND")) {
      if (lastAttempt) return "NOT_FOUND";
      throw new RetryOperatorLater(`${job.operator} recall: not found yet`);
    }
    if (isOperatorError(e) && e.kind === "refused") {
      // Departed, cancelled meanwhile: nothing left for us to let go.
      return "ALREADY_ENDED";
    }
    throw e;
  }
}
