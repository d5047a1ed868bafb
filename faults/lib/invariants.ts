import { expect } from "vitest";
import type postgres from "postgres";

/**
 * What must hold in the database whatever failed and whenever: the checks every fault scenario ends with.
 * Each returns the offending rows (empty = fine) so a failing assertion shows exactly what is wrong.
 */

/** Bookings missing a part that `booking.create` writes in the same transaction, or live with a let-go operator leg. */
export async function halfWrittenBookings(sql: postgres.Sql) {
  return sql<{ reference: string; status: string; legs: number; passengers: number; holds: number }[]>`
    select b.reference, b.status,
      (select count(*)::int from booking_legs l where l.booking_id = b.id) as legs,
      (select count(*)::int from passengers p where p.booking_id = b.id) as passengers,
      (select count(*)::int from booking_holds h where h.booking_id = b.id) as holds
    from bookings b
    where not exists (select 1 from booking_legs l where l.booking_id = b.id)
       or not exists (select 1 from passengers p where p.booking_id = b.id)
       or not exists (select 1 from price_lines pl where pl.booking_id = b.id)
       or (b.status in ('PENDING_PAYMENT', 'CONFIRMING', 'CONFIRMED')
           -- Only own legs hold places here; a connected operator's leg is held at the operator.
           and exists (select 1 from booking_legs l where l.booking_id = b.id and l.operator_reference is null)
           and not exists (select 1 from booking_holds h where h.booking_id = b.id))
       or (b.status in ('PENDING_PAYMENT', 'CONFIRMING', 'CONFIRMED')
           and exists (select 1 from booking_legs l where l.booking_id = b.id
                       and l.operator_reference is not null and l.operator_status in ('released', 'cancelled')))`;
}

/**
 * Inventory rows whose held/sold differ from what the bookings say (held = Σ holds of PENDING_PAYMENT
 * bookings, sold = Σ holds of CONFIRMING and CONFIRMED ones), or whose bookings hold more than the capacity. The counters
 * themselves can never exceed it (CHECK constraint), so an oversell could only show in the bookings.
 */
export async function inventoryMismatches(sql: postgres.Sql) {
  return sql<
    {
      sailing_id: number;
      resource: string;
      capacity: number;
      held: number;
      sold: number;
      expected_held: number;
      expected_sold: number;
    }[]
  >`
    with expected as (
      select h.sailing_id, h.resource,
        sum(case when b.status = 'PENDING_PAYMENT' then h.quantity else 0 end)::int as held,
        sum(case when b.status in ('CONFIRMING', 'CONFIRMED') then h.quantity else 0 end)::int as sold
      from booking_holds h join bookings b on b.id = h.booking_id
      group by h.sailing_id, h.resource)
    select i.sailing_id, i.resource, i.capacity, i.held, i.sold,
      coalesce(e.held, 0) as expected_held, coalesce(e.sold, 0) as expected_sold
    from inventory i left join expected e on e.sailing_id = i.sailing_id and e.resource = i.resource
    where i.held <> coalesce(e.held, 0) or i.sold <> coalesce(e.sold, 0)
       or coalesce(e.held, 0) + coalesce(e.sold, 0) > i.capacity`;
}

/** Confirmed bookings without exactly one COMPLETED payment, and refunds that exist at all. */
export async function paymentAnomalies(sql: postgres.Sql) {
  const confirmedWithoutOnePayment = await sql<{ reference: string; completed: number }[]>`
    select b.reference, (select count(*)::int from payments p where p.booking_id = b.id and p.status = 'COMPLETED') as completed
    from bookings b where b.status = 'CONFIRMED'
      and (select count(*) from payments p where p.booking_id = b.id and p.status = 'COMPLETED') <> 1`;
  const refunds = await sql<{ id: string; status: string; reason: string | null }[]>`
    select id, status, reason from refunds`;
  return { confirmedWithoutOnePayment, refunds };
}

/** Confirmation outbox rows per booking that is not exactly one. */
export async function confirmationOutboxAnomalies(sql: postgres.Sql) {
  return sql<{ reference: string; rows: number }[]>`
    select b.reference, count(o.id)::int as rows
    from bookings b left join email_outbox o on o.booking_id = b.id and o.kind = 'booking_confirmed'
    where b.status = 'CONFIRMED'
    group by b.reference having count(o.id) <> 1`;
}

/** graphile-worker jobs that are still there (not done) — with why, for failure messages. */
export async function pendingJobs(sql: postgres.Sql) {
  return sql<
    {
      task: string;
      attempts: number;
      locked_by: string | null;
      locked_at: Date | null;
      last_error: string | null;
    }[]
  >`
    select task_identifier as task, attempts, locked_by, locked_at, left(last_error, 200) as last_error
    from graphile_worker.jobs order by id limit 50`;
}

export async function allInvariants(sql: postgres.Sql) {
  const [halfWritten, inventory, payments, outbox] = await Promise.all([
    halfWrittenBookings(sql),
    inventoryMismatches(sql),
    paymentAnomalies(sql),
    confirmationOutboxAnomalies(sql),
  ]);
  return {
    halfWritten,
    inventory,
    confirmedWithoutOnePayment: payments.confirmedWithoutOnePayment,
    confirmationOutbox: outbox,
  };
}

/** The check every scenario ends with: nothing half-written, inventory equal to its bookings, one payment
 * and one confirmation email per confirmed booking. */
export async function expectInvariantsHold(sql: postgres.Sql): Promise<void> {
  expect(await allInvariants(sql)).toEqual({
    halfWritten: [],
    inventory: [],
    confirmedWithoutOnePayment: [],
    confirmationOutbox: [],
  });
}
