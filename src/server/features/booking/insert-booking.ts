import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { inOrder } from "@/server/db/pipeline";
import { sailingRoute } from "@/server/db/queries/joins";
import {
  bookingLegs,
  bookings,
  bookingVehicles,
  passengers as passengersTable,
  priceLines,
} from "@/server/db/schema/bookings";
import { routes } from "@/server/db/schema/network";
import { payments } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { type CheckoutSource, newPayment } from "@/server/features/payments/checkout";
import { faresBySailing, sailingFaresStatement } from "@/server/features/pricing/fares";
import type { EffectiveFares } from "@/server/features/pricing/quote";
import { AppError, pgErrorCode } from "@/server/lib/errors";
import { addJobStatement } from "@/server/lib/jobs";
import { metrics } from "@/server/lib/metrics";
import { newBookingReference } from "@/server/lib/reference";
import { type CreateBookingInput, passengerDetails } from "./input";
import { assertHeld, holdStatements } from "./inventory";
import { checkUnpaid, type UnpaidCheck, unpaidLimitStatements } from "./limits";
import type { HeldConnectedLeg } from "./operator-hold";
import { lineCodes, lineDescription, type Priced } from "./price-legs";
import { upsertShadowSailing } from "./shadow-sailing";

export interface InsertedBooking extends Priced {
  bookingId: string;
  reference: string;
  /** The payment row inserted with the booking, and what its Checkout session is made from. */
  checkout: CheckoutSource;
}

/**
 * The booking's one transaction: the fair-use limits, the sailings locked, the price read, every row of the
 * booking, its first payment row, the expiry job and the holds, or nothing. The payment row is written here
 * rather than by `ensureCheckoutSession` so the Checkout session needs no second transaction, and its
 * parameters come from what was just inserted (`checkout`) instead of reading the booking back.
 */
export async function insertWithHolds(
  db: Db,
  a: {
    input: CreateBookingInput;
    price: (fares: Map<number, EffectiveFares>) => Priced;
    holdExpiresAt: Date;
    now: Date;
    ids: number[];
    check: UnpaidCheck;
    held: HeldConnectedLeg[];
    /** The reference the connected legs were held under: then it cannot change. */
    reference: string;
  },
): Promise<InsertedBooking> {
  for (let attempt = 0; ; attempt++) {
    const reference = attempt === 0 ? a.reference : newBookingReference();
    try {
      let inserted: Omit<InsertedBooking, "bookingId" | "reference"> | undefined;
      const bookingId = await db.transaction(async (tx) => {
        // The fair-use locks and counts, then the sailings and their routes share-locked, in sailing id
        // order, then the fares: sent together, run in this order (`inOrder`). An admin cancelling a
        // sailing (UPDATE) waits for us, and we see its status as of now. The route lock is what makes the
        // price consistent: `setFare` and `removeOverride` take the route row FOR UPDATE before they change
        // any fare of it, so a fare edit either committed before we got this lock, and the fare read (the
        // next statement, so a new snapshot under READ COMMITTED) sees all of it, or it waits until we
        // have committed. Every line of the booking comes from one version of the fares, and the version
        // in force when the booking commits. Reading the fares in the locking statement would not do: a
        // row lock that had to wait re-reads only the locked rows, not the rest of the statement's snapshot.
        const [, counts, locked, fareRows] = await inOrder(
          ...unpaidLimitStatements(tx, a.check),
          tx
            .select({
              id: sailings.id,
              status: sailings.status,
              departureAt: sailings.departureAt,
              from: routes.fromPort,
              to: routes.toPort,
            })
            .from(sailings)
            .innerJoin(routes, sailingRoute)
            .where(inArray(sailings.id, a.ids))
            .orderBy(sailings.id)
            .for("share"),
          a.ids.length > 0 ? sailingFaresStatement(tx, a.ids) : null,
        );
        checkUnpaid(counts, a.check);
        for (const row of locked) {
          if (row.status !== "SCHEDULED") {
            throw new AppError(
              "SAILING_CANCELLED",
              "This sailing has just been cancelled. Choose another sailing.",
            );
          }
        }
        const priced = a.price(faresBySailing(fareRows ?? []));
        const { plans, total, currency } = priced;
        const shadows: number[] = [];
        for (const h of a.held) shadows.push((await upsertShadowSailing(tx, h.operator, h.sailing)).id);
        const id = randomUUID();
        // In insertion order, which is the order `price_lines.id` gives them back.
        const lines = [
          ...plans.flatMap((p) =>
            p.lines.map((l) => ({
              direction: p.direction,
              ...lineCodes(l, p.accommodation),
              description: lineDescription(l, p.accommodation),
              quantity: l.quantity,
              unitAmount: l.unitAmount,
              amount: l.amount,
              currency,
            })),
          ),
          ...a.held.flatMap((h) => h.lines.map((l) => ({ direction: h.direction, ...l, currency }))),
        ];
        const payment = {
          id: randomUUID(),
          ...newPayment({ id, totalAmount: total, currency, holdExpiresAt: a.holdExpiresAt }, a.now),
        };
        // The booking, its rows, its payment, its expiry job and its holds go out together (`inOrder`):
        // one round trip instead of one each. The holds come last and in the global order: inventory rows
        // stay locked for the shortest time, always in the same sequence.
        const holds = holdStatements(
          tx,
          id,
          plans.flatMap((p) => p.needs),
        );
        const rows = [
          tx.insert(bookings).values({
            id,
            reference,
            contactEmail: a.input.contact.email,
            contactPhone: a.input.contact.phone,
            clientKey: a.check.clientKey,
            locale: a.input.locale,
            totalAmount: total,
            currency,
            holdExpiresAt: a.holdExpiresAt,
          }),
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
          tx.insert(priceLines).values(lines.map((l) => ({ bookingId: id, ...l }))),
          tx.insert(payments).values(payment),
          addJobStatement(
            tx,
            "expire_hold",
            { bookingId: id },
            { runAt: a.holdExpiresAt, jobKey: `hold:${id}` },
          ),
        ];
        const results = await inOrder(...rows, ...holds.map((h) => h.statement));
        assertHeld(holds, results.slice(rows.length) as (readonly unknown[])[]);
        const sailingOf = new Map(locked.map((l) => [l.id, l]));
        inserted = {
          ...priced,
          checkout: {
            booking: { id, reference, contactEmail: a.input.contact.email, locale: a.input.locale },
            payment: { id: payment.id, checkoutExpiresAt: payment.checkoutExpiresAt },
            legs: [
              ...plans.map((p) => {
                const { from, to, departureAt } = sailingOf.get(p.sailingId)!;
                return { direction: p.direction, from, to, departureAt };
              }),
              ...a.held.map((h) => ({
                direction: h.direction,
                from: h.sailing.from,
                to: h.sailing.to,
                departureAt: h.sailing.departureAt,
              })),
            ],
            lines,
          },
        };
        return id;
      });
      metrics().bookings.inc({ status: "PENDING_PAYMENT" });
      return { bookingId, reference, ...inserted! };
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
export function withConnected(own: Priced | null, held: HeldConnectedLeg[]): Priced {
  const currencies = new Set([...(own ? [own.currency] : []), ...held.map((h) => h.currency)]);
  if (currencies.size !== 1)
    throw new AppError("BAD_REQUEST", "Both legs must be priced in the same currency.");
  const total = (own?.total ?? 0) + held.reduce((sum, h) => sum + h.total, 0);
  return { plans: own?.plans ?? [], total, currency: [...currencies][0] as string };
}
