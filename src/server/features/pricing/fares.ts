import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { fares } from "@/server/db/schema/fares";
import { sailings } from "@/server/db/schema/sailings";
import { type EffectiveFares, type FareRow, resolveFares } from "./quote";

/** Effective fares for each sailing, straight from Postgres (booking never prices from the cache). */
export async function loadSailingFares(
  db: DbOrTx,
  sailingIds: number[],
): Promise<Map<number, EffectiveFares>> {
  if (sailingIds.length === 0) return new Map();
  return faresBySailing(await sailingFaresStatement(db, sailingIds));
}

/** `loadSailingFares`'s statement, not started: for `inOrder` (src/server/db/pipeline.ts). */
export function sailingFaresStatement(db: DbOrTx, sailingIds: number[]) {
  return db
    .select({
      forSailing: sailings.id,
      sailingId: fares.sailingId,
      kind: fares.kind,
      accommodation: fares.accommodation,
      passengerType: fares.passengerType,
      vehicleType: fares.vehicleType,
      amount: fares.amount,
      currency: fares.currency,
    })
    .from(sailings)
    .innerJoin(
      fares,
      and(eq(fares.routeId, sailings.routeId), or(isNull(fares.sailingId), eq(fares.sailingId, sailings.id))),
    )
    .where(inArray(sailings.id, sailingIds));
}

/** The effective fares of each sailing from `sailingFaresStatement`'s rows. */
export function faresBySailing(rows: (FareRow & { forSailing: number })[]): Map<number, EffectiveFares> {
  const out = new Map<number, EffectiveFares>();
  const grouped = new Map<number, FareRow[]>();
  for (const r of rows) {
    const list = grouped.get(r.forSailing) ?? [];
    list.push(r);
    grouped.set(r.forSailing, list);
  }
  for (const [id, list] of grouped) out.set(id, resolveFares(list));
  return out;
}
