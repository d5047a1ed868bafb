import { type Accommodation, accommodations, type Resource } from "@/server/db/schema/resources";
import { routeKey } from "@/server/features/cache/cache";
import { type QuoteLine, quote, requiredResources } from "@/server/features/pricing/quote";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { localDate } from "@/shared/dates";
import type { SearchSailingsInput } from "./input";
import { portDirectory } from "./ports";
import { type Availability, type DaySchedule, loadAvailability, loadDaySchedule } from "./schedule";

export const ACCOMMODATION_NAMES: Record<Accommodation, string> = {
  DECK: "Deck passage",
  SEAT: "Reclining seat",
  CABIN_INSIDE: "Inside cabin",
  CABIN_OUTSIDE: "Outside cabin",
};

export interface SailingOption {
  accommodation: Accommodation;
  name: string;
  total: { amount: number; currency: string };
  /** Price per passenger type for this party, then vehicle and pet supplements in `extras`. */
  perPassenger: { type: "adult" | "child" | "infant"; count: number; unitAmount: number; amount: number }[];
  extras: { kind: "vehicle" | "pet"; quantity: number; unitAmount: number; amount: number }[];
  /** Whether this party fits (places, cabins, vehicle space, kennels). */
  available: boolean;
  /** Places (or cabins for cabin classes) left in this class. */
  remaining: number;
  unit: "place" | "cabin";
  /** The resource that is short when `available` is false. */
  limitedBy: Resource | null;
}

export interface SailingResult {
  id: number;
  departureAt: Date;
  arrivalAt: Date;
  departureTimeZone: string;
  arrivalTimeZone: string;
  from: { code: string; name: string };
  to: { code: string; name: string };
  durationMinutes: number;
  /** True when the arrival is on a later local calendar day than the departure. */
  overnight: boolean;
  operator: { code: string; name: string };
  vessel: { name: string };
  international: boolean;
  cancelled: boolean;
  soldOut: boolean;
  options: SailingOption[];
}

/**
 * A route pair's day (timetable and fares) and the availability of its sailings still to depart, read
 * through the cache: schedule entries depend on the pair's version, availability entries are per sailing.
 * `wanted` picks the sailings whose availability the caller needs (none when the day is not on sale).
 */
export async function readOwnDay(
  svc: Services,
  q: { from: string; to: string; date: string; fromTimeZone: string },
  wanted: (schedule: DaySchedule) => number[],
): Promise<{ schedule: DaySchedule; availability: Availability[] }> {
  const { value, related } = await svc.cache.readWith(
    q.date,
    () => loadDaySchedule(svc.db, q),
    { kind: "schedule", versions: [routeKey(q.from, q.to)] },
    {
      kind: "availability",
      keysOf: (schedule) => wanted(schedule).map(String),
      load: async (key) => (await loadAvailability(svc.db, [Number(key)])).get(Number(key)) ?? {},
      loadMany: async (keys) => {
        const m = await loadAvailability(svc.db, keys.map(Number));
        return keys.map((k) => m.get(Number(k)) ?? {});
      },
    },
  );
  return { schedule: value, availability: related };
}

export async function searchSailings(
  svc: Services,
  input: SearchSailingsInput,
): Promise<{ sailings: SailingResult[] }> {
  const now = svc.clock.now();
  const ports = await portDirectory(svc);
  const from = ports.get(input.from);
  const to = ports.get(input.to);
  if (!from)
    throw new AppError("BAD_REQUEST", `We do not serve a port with code ${input.from}.`, { field: "from" });
  if (!to)
    throw new AppError("BAD_REQUEST", `We do not serve a port with code ${input.to}.`, { field: "to" });
  if (!from.destinations.includes(to.code)) {
    throw new AppError(
      "BAD_REQUEST",
      `There is no crossing from ${from.name} to ${to.name}. Choose another destination.`,
      {
        field: "to",
      },
    );
  }
  const today = localDate(now, from.timeZone);
  if (input.date < today) {
    throw new AppError(
      "BAD_REQUEST",
      `${input.date} has already passed in ${from.name}. Choose today or a later date.`,
      {
        field: "date",
      },
    );
  }

  const onSale = (schedule: DaySchedule) => schedule.horizon !== null && input.date <= schedule.horizon;
  const upcomingOf = (schedule: DaySchedule) =>
    schedule.sailings.filter((s) => s.departureAt > now.getTime());
  const { schedule, availability } = await readOwnDay(svc, { ...input, fromTimeZone: from.timeZone }, (d) =>
    onSale(d) ? upcomingOf(d).map((s) => s.id) : [],
  );
  if (!onSale(schedule)) {
    throw new AppError(
      "BAD_REQUEST",
      schedule.horizon
        ? `Sailings from ${from.name} to ${to.name} are published up to ${schedule.horizon}. Choose an earlier date.`
        : `No sailings are scheduled from ${from.name} to ${to.name} yet.`,
      { field: "date", horizon: schedule.horizon },
    );
  }
  const upcoming = upcomingOf(schedule);
  const party = input.passengers;
  const extras = { vehicleType: input.vehicle?.type, pets: input.pets };

  const sailings = upcoming.map((s, i): SailingResult => {
    const left = availability[i] ?? {};
    const cancelled = s.status === "CANCELLED";
    const options: SailingOption[] = [];
    for (const accommodation of accommodations) {
      const q = quote(s.fares, party, accommodation, extras);
      if (!q) continue;
      const capacityLeft = left[accommodation] ?? 0;
      const need = requiredResources(party, accommodation, extras);
      const short = (Object.entries(need) as [Resource, number][]).find(([r, n]) => (left[r] ?? 0) < n);
      options.push({
        accommodation,
        name: ACCOMMODATION_NAMES[accommodation],
        total: { amount: q.total, currency: q.currency },
        perPassenger: q.lines
          .filter(
            (l): l is QuoteLine & { passengerType: "adult" | "child" | "infant" } => l.kind === "passenger",
          )
          .map((l) => ({
            type: l.passengerType,
            count: l.quantity,
            unitAmount: l.unitAmount,
            amount: l.amount,
          })),
        extras: q.lines
          .filter((l) => l.kind !== "passenger")
          .map((l) => ({
            kind: l.kind as "vehicle" | "pet",
            quantity: l.quantity,
            unitAmount: l.unitAmount,
            amount: l.amount,
          })),
        available: !cancelled && !short,
        remaining: Math.max(0, capacityLeft),
        unit: accommodation.startsWith("CABIN") ? "cabin" : "place",
        limitedBy: cancelled ? null : (short?.[0] ?? null),
      });
    }
    options.sort((a, b) => a.total.amount - b.total.amount);
    const departureAt = new Date(s.departureAt);
    const arrivalAt = new Date(s.arrivalAt);
    return {
      id: s.id,
      departureAt,
      arrivalAt,
      departureTimeZone: from.timeZone,
      arrivalTimeZone: to.timeZone,
      from: { code: from.code, name: from.name },
      to: { code: to.code, name: to.name },
      durationMinutes: Math.round((s.arrivalAt - s.departureAt) / 60_000),
      overnight: localDate(arrivalAt, to.timeZone) > localDate(departureAt, from.timeZone),
      operator: s.operator,
      vessel: { name: s.vessel.name },
      international: s.international,
      cancelled,
      soldOut: !options.some((o) => o.available),
      options,
    };
  });
  return { sailings };
}
