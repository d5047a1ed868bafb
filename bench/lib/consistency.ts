import type postgres from "postgres";
import { resendEmails } from "../../tests/support/emulators";

/** The outcome checks' queries the booking and mixed benchmarks share (see their `outcome` checks). */

/** Inventory rows whose counters exceed the capacity (the CHECK constraint should make this 0). */
export async function inventoryOverCapacity(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from inventory where held + sold > capacity`;
  return row?.n ?? -1;
}

/**
 * Inventory rows whose held/sold differ from what the bookings say: held = Σ holds of PENDING_PAYMENT
 * bookings, sold = Σ holds of CONFIRMED ones.
 */
export async function inventoryNotMatchingBookings(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from inventory i left join (
      select h.sailing_id, h.resource, sum(h.quantity) filter (where b.status = 'PENDING_PAYMENT') as held,
             sum(h.quantity) filter (where b.status = 'CONFIRMED') as sold
      from booking_holds h join bookings b on b.id = h.booking_id group by 1, 2
    ) t on t.sailing_id = i.sailing_id and t.resource = i.resource
    where i.held <> coalesce(t.held, 0) or i.sold <> coalesce(t.sold, 0)`;
  return row?.n ?? -1;
}

/** How many times Resend accepted an email under each idempotency key (our outbox ids). */
export async function acceptedPerIdempotencyKey(resendUrl: string): Promise<Map<string, number>> {
  const received = new Map<string, number>();
  for (const e of await resendEmails(resendUrl))
    if (e.idempotencyKey) received.set(e.idempotencyKey, (received.get(e.idempotencyKey) ?? 0) + 1);
  return received;
}
