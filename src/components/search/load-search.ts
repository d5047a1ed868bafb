import "server-only";
import { addDays, daysBetween } from "@/shared/dates";
import type { serverApi } from "@/trpc/server";
import type { StripDay } from "./day-strip";
import type { SearchFormValues } from "./search-query";

type Api = Awaited<ReturnType<typeof serverApi>>;
export type Leg = { key: "out" | "ret"; from: string; to: string; date: string };

// How far the empty state looks for other days, and how many it proposes.
const STRIP_RADIUS = 3;
const SUGGEST_RADIUS = 21;
const SUGGESTIONS = 4;

/** The calendar months (YYYY-MM) that a range of days touches. */
function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  for (
    let d = `${start.slice(0, 7)}-01`;
    d.slice(0, 7) <= end.slice(0, 7);
    d = addDays(`${d.slice(0, 7)}-28`, 4)
  )
    months.push(d.slice(0, 7));
  return months;
}

/** The legs a search asks for: the outbound, and the way back for a return trip. */
export function searchLegs(values: SearchFormValues): Leg[] {
  const legs: Leg[] = [{ key: "out", from: values.from, to: values.to, date: values.date }];
  if (values.trip === "return")
    legs.push({ key: "ret", from: values.to, to: values.from, date: values.returnDate });
  return legs;
}

export type LoadedLeg = Awaited<ReturnType<typeof loadLeg>>;

/** One leg's sailings, plus the calendar days around it for the day strip and the empty state. */
export async function loadLeg(api: Api, leg: Leg, v: SearchFormValues) {
  const input = {
    from: leg.from,
    to: leg.to,
    date: leg.date,
    passengers: { adults: v.adults, children: v.children, infants: v.infants },
    vehicle: v.vehicle === "none" ? undefined : { type: v.vehicle },
    pets: v.pets,
  };
  // Sailings and the calendar months for the day strip and the empty state go out together: one round of
  // queries, no waterfall. Calendar failures only cost the strip, never the results.
  const months = monthsBetween(addDays(leg.date, -SUGGEST_RADIUS), addDays(leg.date, SUGGEST_RADIUS));
  const [sailings, ...calendars] = await Promise.allSettled([
    api.search.sailings(input),
    ...months.map((month) => api.search.calendar({ from: leg.from, to: leg.to, month })),
  ]);
  const days = new Map<string, StripDay>();
  for (const c of calendars) if (c.status === "fulfilled") for (const d of c.value.days) days.set(d.date, d);
  if (sailings.status === "rejected") return { leg, error: sailings.reason as unknown, days, input };
  return { leg, result: sailings.value, days, input };
}

/** The seven days around the searched one; days before `floor` are shown without sailings. */
export function stripDays(leg: Leg, days: Map<string, StripDay>, floor: string): StripDay[] {
  const strip: StripDay[] = [];
  for (let i = -STRIP_RADIUS; i <= STRIP_RADIUS; i++) {
    const date = addDays(leg.date, i);
    const day = days.get(date) ?? { date, cheapest: null, sailings: 0 };
    strip.push(date < floor ? { ...day, cheapest: null, sailings: 0 } : day);
  }
  return strip;
}

/**
 * Nearby days to offer when nothing on the searched day can be booked. When ships sail but are full for this
 * party ("full"), the calendar is not enough: the nearest few days are searched for room.
 */
export async function suggestDays(
  api: Api,
  l: LoadedLeg,
  kind: "empty" | "full",
  floor: string,
): Promise<StripDay[]> {
  const { leg } = l;
  const candidates = [...l.days.values()]
    .filter((d) => d.sailings > 0 && d.date !== leg.date && d.date >= floor)
    .sort((a, b) => Math.abs(daysBetween(leg.date, a.date)) - Math.abs(daysBetween(leg.date, b.date)));
  let suggestions = candidates.slice(0, SUGGESTIONS);
  if (kind === "full") {
    // The calendar knows where ships sail, not where there is room for this party: check the nearest few.
    const checked = await Promise.all(
      candidates.slice(0, SUGGESTIONS + 2).map(async (d) => {
        try {
          const r = await api.search.sailings({ ...l.input, date: d.date });
          return r.sailings.some((s) => s.options.some((o) => o.available)) ? d : null;
        } catch {
          return null;
        }
      }),
    );
    suggestions = checked.filter((d): d is StripDay => d !== null).slice(0, SUGGESTIONS);
  }
  return suggestions.sort((a, b) => a.date.localeCompare(b.date));
}
