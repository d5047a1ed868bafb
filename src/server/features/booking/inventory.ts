import { and, eq, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { inOrder } from "@/server/db/pipeline";
import { bookingHolds } from "@/server/db/schema/bookings";
import { type Resource, resourceOrder } from "@/server/db/schema/resources";
import { inventory } from "@/server/db/schema/sailings";
import { AppError } from "@/server/lib/errors";

/**
 * Moves places between "free", "held" and "sold" with conditional UPDATEs, always in the same order
 * (sailing id, then resource), so two bookings sharing resources never deadlock. The database CHECK
 * (held + sold <= capacity) is the last line of defence; the WHERE clauses keep us from ever hitting it.
 */

export interface Need {
  sailingId: number;
  resource: Resource;
  quantity: number;
}

function ordered<T extends { sailingId: number; resource: Resource }>(needs: T[]): T[] {
  return [...needs].sort(
    (a, b) => a.sailingId - b.sailingId || resourceOrder[a.resource] - resourceOrder[b.resource],
  );
}

const RESOURCE_WORDS: Record<Resource, string> = {
  PASSENGER: "passenger places",
  DECK: "deck places",
  SEAT: "reclining seats",
  CABIN_INSIDE: "inside cabins",
  CABIN_OUTSIDE: "outside cabins",
  VEHICLE: "vehicle space",
  KENNEL: "kennels",
};

/** The inventory row of a need's sailing and resource. */
const rowOf = (n: Need) => and(eq(inventory.sailingId, n.sailingId), eq(inventory.resource, n.resource));
/** True while the need's places still fit in that row's capacity. */
const fits = (n: Need) => sql`${inventory.held} + ${inventory.sold} + ${n.quantity} <= ${inventory.capacity}`;
const sailingIdsOf = (needs: Need[]) => [...new Set(needs.map((n) => n.sailingId))];

/** Holds every need or throws CONFLICT: the caller's transaction rolls back, so nothing stays held. */
export async function takeHolds(tx: DbOrTx, bookingId: string, needs: Need[]): Promise<void> {
  const statements = holdStatements(tx, bookingId, needs);
  assertHeld(statements, await inOrder(...statements.map((h) => h.statement)));
}

/**
 * `takeHolds`'s statements, not started, for `inOrder` (src/server/db/pipeline.ts), in the global order:
 * one per need, which takes the places if they fit and records the hold, or changes nothing. Pass what
 * they return to `assertHeld`.
 */
export function holdStatements(tx: DbOrTx, bookingId: string, needs: Need[]) {
  return ordered(needs.filter((x) => x.quantity > 0)).map((n) => {
    const taken = tx
      .update(inventory)
      .set({ held: sql`${inventory.held} + ${n.quantity}` })
      .where(and(rowOf(n), fits(n)))
      .returning({ sailingId: inventory.sailingId });
    // Drizzle puts an embedded query in parentheses: `with taken as (update …)`.
    const statement = tx.execute<{ sailing_id: number }>(sql`
      with taken as ${taken}
      insert into ${bookingHolds} (booking_id, sailing_id, resource, quantity)
      select ${bookingId}::uuid, sailing_id, ${n.resource}::text, ${n.quantity}::int from taken
      returning sailing_id`);
    return { need: n, statement };
  });
}

/** Throws SOLD_OUT for the first need (in the global order) whose places did not fit. */
export function assertHeld(
  statements: readonly { need: Need }[],
  results: readonly (readonly unknown[])[],
): void {
  const i = results.findIndex((rows) => rows.length === 0);
  const n = statements[i]?.need;
  if (n) {
    throw new AppError(
      "SOLD_OUT",
      `Not enough ${RESOURCE_WORDS[n.resource]} left on this sailing for your party. Choose another class or sailing.`,
      { sailingId: n.sailingId, resource: n.resource },
    );
  }
}

async function holdsOf(tx: DbOrTx, bookingId: string): Promise<Need[]> {
  const rows = await tx
    .select({
      sailingId: bookingHolds.sailingId,
      resource: bookingHolds.resource,
      quantity: bookingHolds.quantity,
    })
    .from(bookingHolds)
    .where(eq(bookingHolds.bookingId, bookingId));
  return ordered(rows);
}

/** Sets `change(quantity)` on the inventory row of each of the booking's holds; returns their sailings. */
async function updateHeldRows(
  tx: DbOrTx,
  bookingId: string,
  change: (quantity: number) => { held: SQL; sold?: SQL },
): Promise<number[]> {
  const holds = await holdsOf(tx, bookingId);
  for (const h of holds) await tx.update(inventory).set(change(h.quantity)).where(rowOf(h));
  return sailingIdsOf(holds);
}

/** held → free (hold expired or pending booking cancelled). */
export function releaseHeld(tx: DbOrTx, bookingId: string): Promise<number[]> {
  return updateHeldRows(tx, bookingId, (q) => ({ held: sql`${inventory.held} - ${q}` }));
}

/** held → sold (payment confirmed while the hold was still in place). */
export function convertHeldToSold(tx: DbOrTx, bookingId: string): Promise<number[]> {
  return updateHeldRows(tx, bookingId, (q) => ({
    held: sql`${inventory.held} - ${q}`,
    sold: sql`${inventory.sold} + ${q}`,
  }));
}

/**
 * free → sold for a payment that arrived after the hold was released. Returns false (having changed
 * nothing, thanks to the savepoint) when any place has been taken by someone else meanwhile.
 */
export async function retakeAsSold(
  tx: DbOrTx,
  bookingId: string,
): Promise<{ ok: boolean; sailingIds: number[] }> {
  const holds = await holdsOf(tx, bookingId);
  const sailingIds = sailingIdsOf(holds);
  try {
    await tx.transaction(async (sp) => {
      for (const h of holds) {
        const rows = await sp
          .update(inventory)
          .set({ sold: sql`${inventory.sold} + ${h.quantity}` })
          .where(and(rowOf(h), fits(h)))
          .returning({ sailingId: inventory.sailingId });
        if (rows.length === 0) throw new NoCapacity();
      }
    });
    return { ok: true, sailingIds };
  } catch (e) {
    if (e instanceof NoCapacity) return { ok: false, sailingIds };
    throw e;
  }
}

class NoCapacity extends Error {}

/** sold → free (a confirmed booking is cancelled). */
export async function releaseSold(tx: DbOrTx, bookingId: string): Promise<number[]> {
  const holds = await holdsOf(tx, bookingId);
  for (const h of holds) {
    await tx
      .update(inventory)
      .set({ sold: sql`${inventory.sold} - ${h.quantity}` })
      .where(rowOf(h));
  }
  return sailingIdsOf(holds);
}
