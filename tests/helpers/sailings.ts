import type postgres from "postgres";

/** The first SCHEDULED sailing from `from` to `to` leaving more than `days` days from now. */
export async function firstSailingAfter(sql: postgres.Sql, from: string, to: string, days: number) {
  // Instants as epoch milliseconds: drizzle leaves this client's timestamps as text.
  const [row] = await sql<{ id: number; departs: number; arrives: number }[]>`
    select s.id, extract(epoch from s.departure_at)::float8 * 1000 as departs,
      extract(epoch from s.arrival_at)::float8 * 1000 as arrives
    from sailings s join routes r on r.id = s.route_id
    where r.from_port = ${from} and r.to_port = ${to} and s.status = 'SCHEDULED'
      and s.departure_at > now() + make_interval(days => ${days})
    order by s.departure_at limit 1`;
  if (!row) throw new Error(`no sailing ${from}→${to}`);
  return { id: row.id, departureAt: new Date(row.departs), arrivalAt: new Date(row.arrives) };
}

/**
 * A round trip: the first `from`→`to` sailing more than `days` days out and the first sailing back leaving
 * at least 2 h after it arrives (the shortest turn-round `createBooking` accepts).
 */
export async function firstRoundTrip(sql: postgres.Sql, from: string, to: string, days: number) {
  const out = await firstSailingAfter(sql, from, to, days);
  const [back] = await sql<{ id: number }[]>`
    select s.id from sailings s join routes r on r.id = s.route_id
    where r.from_port = ${to} and r.to_port = ${from} and s.status = 'SCHEDULED'
      and s.departure_at >= to_timestamp(${out.arrivalAt.getTime() + 2 * 3600_000}::float8 / 1000)
    order by s.departure_at limit 1`;
  if (!back) throw new Error(`no sailing ${to}→${from} after ${out.arrivalAt.toISOString()}`);
  return { out: out.id, back: back.id, outArrival: out.arrivalAt };
}
