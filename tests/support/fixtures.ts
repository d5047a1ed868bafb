import type postgres from "postgres";

/**
 * Inputs built from what a seeded stack holds, shared by the fault scenarios and the benchmarks: a
 * booking for one adult, the sailings that can take many of them, and real (route, local day) searches.
 */

export interface OneAdult {
  firstName?: string;
  lastName?: string;
  documentNumber?: string;
  accommodation?: string;
  locale?: "en" | "fr" | "ar";
}

/** `booking.create` input: one adult on an international crossing (nationality and document required). */
export function oneAdultBooking(sailingId: number, email: string, o: OneAdult = {}) {
  return {
    outbound: { sailingId, accommodation: o.accommodation ?? "DECK" },
    passengers: [
      {
        type: "adult",
        firstName: o.firstName ?? "Amira",
        lastName: o.lastName ?? "Ben Salah",
        nationality: "TN",
        documentNumber: o.documentNumber ?? "X123456",
      },
    ],
    contact: { email },
    locale: o.locale ?? "en",
  };
}

/** Sailings far enough ahead that every policy allows booking, with room for many deck passengers. */
export async function bookableSailings(sql: postgres.Sql, n = 20): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select s.id from sailings s join inventory i on i.sailing_id = s.id and i.resource = 'DECK'
    where s.status = 'SCHEDULED' and s.departure_at > now() + interval '3 days' and i.capacity - i.held - i.sold > 50
    order by s.departure_at limit ${n}`;
  if (rows.length === 0) throw new Error("no bookable sailing in the seed");
  return rows.map((r) => r.id);
}

export interface SearchInput {
  from: string;
  to: string;
  date: string;
  passengers: { adults: number; children: number; infants: number };
}

/**
 * Real (route, local date) pairs from the seed from tomorrow on, so searches hit the schedule, fares and
 * availability; parties of one to three adults, every other one with a child.
 */
export async function searchInputs(
  sql: postgres.Sql,
  opts: { limit?: number; scheduledOnly?: boolean } = {},
): Promise<SearchInput[]> {
  const scheduled = opts.scheduledOnly ? sql`and s.status = 'SCHEDULED'` : sql``;
  const limit = opts.limit === undefined ? sql`` : sql`limit ${opts.limit}`;
  const rows = await sql<{ from: string; to: string; date: string }[]>`
    select distinct r.from_port as from, r.to_port as to,
      to_char(s.departure_at at time zone p.time_zone, 'YYYY-MM-DD') as date
    from sailings s join routes r on r.id = s.route_id join ports p on p.code = r.from_port
    where s.departure_at > now() + interval '1 day' ${scheduled}
    order by 3, 1, 2 ${limit}`;
  return rows.map((r, i) => ({ ...r, passengers: { adults: 1 + (i % 3), children: i % 2, infants: 0 } }));
}

/**
 * Fair-use limits for a stack driven by a load generator: one client booking many times. Raised, not off,
 * so the limiting code still runs on every request.
 */
export const LOAD_TEST_LIMITS = {
  BOOKING_CREATES_PER_CLIENT: "1000000",
  BOOKING_UNPAID_PER_EMAIL: "1000",
  BOOKING_HELD_PLACES_PER_CLIENT: "1000000",
} as const;
