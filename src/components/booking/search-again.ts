import { localDate } from "@/shared/dates";
import type { BookingView } from "./booking-view";

/** The results page for the same route, days and party: where a traveller whose hold ended starts again. */
export function searchAgainQuery(b: BookingView): Record<string, string> {
  const out = b.legs.find((l) => l.direction === "OUTBOUND") ?? b.legs[0];
  if (!out) return {};
  const ret = b.legs.find((l) => l.direction === "RETURN");
  const count = (type: string) => String(b.passengers.filter((p) => p.type === type).length);
  return {
    from: out.from.code,
    to: out.to.code,
    date: localDate(out.departureAt, out.from.timeZone),
    ...(ret ? { return: localDate(ret.departureAt, ret.from.timeZone) } : {}),
    adults: count("adult"),
    children: count("child"),
    infants: count("infant"),
    ...(b.vehicle ? { vehicle: b.vehicle.type } : {}),
    pets: String(b.pets),
  };
}
