import type postgres from "postgres";
import { ADULT_WITH_DOCUMENT } from "../helpers/route-stack";

/** A valid input per public procedure, so the fuzzers can also send near-misses that pass the first checks. */
export async function validInputs(
  sql: postgres.Sql,
  booking?: { reference: string; email: string },
): Promise<Record<string, unknown>> {
  const [s] = await sql<{ id: number; from: string; to: string; date: string; month: string }[]>`
    select s.id, r.from_port as from, r.to_port as to,
      to_char(s.departure_at at time zone p.time_zone, 'YYYY-MM-DD') as date,
      to_char(s.departure_at at time zone p.time_zone, 'YYYY-MM') as month
    from sailings s join routes r on r.id = s.route_id join ports p on p.code = r.from_port
    where s.status = 'SCHEDULED' and s.departure_at > now() + interval '3 days'
    order by s.departure_at limit 1`;
  if (!s) throw new Error("the seed has no sailing to fuzz against");
  const lookup = booking ?? { reference: "TRV-ABCDEFGH", email: "fuzz@example.com" };
  return {
    "search.sailings": {
      from: s.from,
      to: s.to,
      date: s.date,
      passengers: { adults: 2, children: 1, infants: 0 },
      vehicle: { type: "car" },
      pets: 1,
    },
    "search.calendar": { from: s.from, to: s.to, month: s.month },
    "booking.create": {
      outbound: { sailingId: s.id, accommodation: "DECK" },
      passengers: [
        { ...ADULT_WITH_DOCUMENT },
        {
          type: "child",
          firstName: "Yasmine",
          lastName: "Ben Salah",
          dateOfBirth: "2018-04-02",
          nationality: "TN",
          documentNumber: "Y765432",
        },
      ],
      vehicle: { type: "car", registration: "123 TU 4567", heightCm: 150, lengthCm: 420 },
      pets: 0,
      contact: { email: "fuzz@example.com", phone: "+216 71 000 000" },
      locale: "en",
    },
    "booking.get": lookup,
    "booking.pay": lookup,
    "booking.refundPreview": lookup,
    "booking.cancel": lookup,
    "booking.checkoutStatus": { sessionId: "cs_test_fuzz_0001" },
    "admin.auth.login": { email: "admin@traverse.local", password: "not-the-password" },
  };
}
