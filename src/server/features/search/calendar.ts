import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { fares } from "@/server/db/schema/fares";
import { routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import { routeKey } from "@/server/features/cache/cache";
import { AppError } from "@/server/lib/errors";
import { addDays, localDate, localDayBounds } from "@/shared/dates";
import type { CalendarInput } from "./input";
import type { Services } from "@/server/services";
import { portDirectory } from "./ports";

export interface CalendarDay {
  date: string;
  /** Cheapest adult fare across the day's sailings and classes, or null when nothing sails. */
  cheapest: { amount: number; currency: string } | null;
  sailings: number;
}

/** The cheapest adult price per local day of a month, for the fare calendar and the day strip. */
export async function fareCalendar(svc: Services, input: CalendarInput): Promise<{ days: CalendarDay[] }> {
  const ports = await portDirectory(svc);
  const from = ports.get(input.from);
  const to = ports.get(input.to);
  if (!from || !to || !from.destinations.includes(to.code)) {
    throw new AppError("NO_CROSSING", `There is no crossing from ${input.from} to ${input.to}.`, {
      field: "to",
    });
  }
  const load = () => loadCalendar(svc.db, { ...input, timeZone: from.timeZone });
  const days = await svc.cache.read(input.month, load, {
    kind: "calendar",
    versions: [routeKey(input.from, input.to)],
  });
  // Days already past at the departure port are never offered, whatever the cache holds.
  const today = localDate(svc.clock.now(), from.timeZone);
  return { days: days.map((d) => (d.date < today ? { ...d, cheapest: null, sailings: 0 } : d)) };
}

async function loadCalendar(db: DbOrTx, q: CalendarInput & { timeZone: string }): Promise<CalendarDay[]> {
  const first = `${q.month}-01`;
  const [y, m] = q.month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  const start = localDayBounds(first, q.timeZone).start;
  const end = localDayBounds(next, q.timeZone).start;
  // One query: each scheduled sailing with its cheapest adult fare (a sailing override beats the route default).
  const rows = await db
    .select({
      departureAt: sailings.departureAt,
      cheapest: sql<number>`min(coalesce(
        (select f2.amount from ${fares} f2 where f2.sailing_id = ${sailings.id} and f2.kind = 'PASSENGER'
           and f2.passenger_type = 'adult' and f2.accommodation = ${fares.accommodation}),
        ${fares.amount}))`.mapWith(Number),
      currency: sql<string>`min(${fares.currency})`,
    })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .innerJoin(
      fares,
      and(
        eq(fares.routeId, routes.id),
        sql`${fares.sailingId} is null`,
        eq(fares.kind, "PASSENGER"),
        eq(fares.passengerType, "adult"),
      ),
    )
    .where(
      and(
        eq(routes.fromPort, q.from),
        eq(routes.toPort, q.to),
        eq(sailings.status, "SCHEDULED"),
        gte(sailings.departureAt, start),
        lt(sailings.departureAt, end),
      ),
    )
    .groupBy(sailings.id, sailings.departureAt);
  const byDay = new Map<string, CalendarDay>();
  for (let d = first; d < next; d = addDays(d, 1)) byDay.set(d, { date: d, cheapest: null, sailings: 0 });
  for (const r of rows) {
    const day = byDay.get(localDate(r.departureAt, q.timeZone));
    if (!day) continue;
    day.sailings += 1;
    if (!day.cheapest || r.cheapest < day.cheapest.amount)
      day.cheapest = { amount: r.cheapest, currency: r.currency };
  }
  return [...byDay.values()];
}
