import { sql } from "drizzle-orm";
import type { Services } from "@/server/services";
import { PROMISED_DELAY_SECONDS } from "@/shared/promised-delays";

/**
 * The admin Operations panel: how long travellers waited over the last 24 hours, hour by hour, from the
 * same timestamps the metrics observe (src/server/lib/metrics.ts): the Stripe event's arrival
 * (`stripe_events.received_at`) to the booking's `confirmed_at`, and an outbox row's `created_at` to its
 * `sent_at` (Resend accepted it). Percentiles are computed by PostgreSQL over the hour's rows.
 */
export interface DelayHour {
  /** Start of the hour (UTC, ISO). */
  hour: string;
  count: number;
  p50: number | null;
  p95: number | null;
}

export interface OperationsDelays {
  from: string;
  to: string;
  confirmation: DelayHour[];
  email: DelayHour[];
  /** Over the whole 24 hours. */
  overall: { confirmation: Omit<DelayHour, "hour">; email: Omit<DelayHour, "hour"> };
  promised: typeof PROMISED_DELAY_SECONDS;
}

const HOUR_MS = 3_600_000;
/** Events that confirm a booking; a booking paid twice keeps its first. */
const PAID_EVENTS = ["checkout.session.completed", "checkout.session.async_payment_succeeded"];

type Row = { hour: Date | null; n: number; p50: number | null; p95: number | null };

export async function operationsDelays(svc: Services): Promise<OperationsDelays> {
  const to = new Date(Math.floor(svc.clock.now().getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  const from = new Date(to.getTime() - 24 * HOUR_MS);
  const paid = sql.join(
    PAID_EVENTS.map((t) => sql`${t}`),
    sql`, `,
  );
  // Grouping sets: one row per hour plus one (hour null) over all 24.
  const [confirmation, email] = await Promise.all([
    svc.db.execute<Row>(sql`
      with waits as (
        select b.confirmed_at as at,
               greatest(0, extract(epoch from b.confirmed_at - min(e.received_at)))::float8 as s
        from bookings b
        join payments p on p.booking_id = b.id
        join stripe_events e on e.type in (${paid})
          and e.payload->'data'->'object'->>'id' = p.checkout_session_id
          and e.received_at >= ${from.toISOString()}::timestamptz - interval '1 day'
        where b.confirmed_at >= ${from.toISOString()}::timestamptz and b.confirmed_at < ${to.toISOString()}::timestamptz
          and e.received_at <= b.confirmed_at
        group by b.id, b.confirmed_at
      )
      select date_trunc('hour', at) as hour, count(*)::int as n,
             percentile_cont(0.5) within group (order by s) as p50,
             percentile_cont(0.95) within group (order by s) as p95
      from waits group by grouping sets ((date_trunc('hour', at)), ())`),
    svc.db.execute<Row>(sql`
      with waits as (
        select sent_at as at, greatest(0, extract(epoch from sent_at - created_at))::float8 as s
        from email_outbox
        where status = 'SENT' and sent_at >= ${from.toISOString()}::timestamptz
          and sent_at < ${to.toISOString()}::timestamptz
      )
      select date_trunc('hour', at) as hour, count(*)::int as n,
             percentile_cont(0.5) within group (order by s) as p50,
             percentile_cont(0.95) within group (order by s) as p95
      from waits group by grouping sets ((date_trunc('hour', at)), ())`),
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    confirmation: hours(confirmation, from),
    email: hours(email, from),
    overall: { confirmation: overall(confirmation), email: overall(email) },
    promised: PROMISED_DELAY_SECONDS,
  };
}

const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

/** All 24 hours, oldest first; an hour without rows has count 0 and no percentiles (a gap, not 0 s). */
function hours(rows: Iterable<Row>, from: Date): DelayHour[] {
  const byHour = new Map<number, Row>();
  for (const r of rows) if (r.hour) byHour.set(new Date(r.hour).getTime(), r);
  return Array.from({ length: 24 }, (_, i) => {
    const t = from.getTime() + i * HOUR_MS;
    const r = byHour.get(t);
    return {
      hour: new Date(t).toISOString(),
      count: r?.n ?? 0,
      p50: round(r?.p50 ?? null),
      p95: round(r?.p95 ?? null),
    };
  });
}

function overall(rows: Iterable<Row>): Omit<DelayHour, "hour"> {
  for (const r of rows) if (r.hour === null) return { count: r.n, p50: round(r.p50), p95: round(r.p95) };
  return { count: 0, p50: null, p95: null };
}
