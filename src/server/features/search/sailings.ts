import { type Accommodation, accommodations, type Resource } from "@/server/db/schema/resources";
import { availabilityKey, routeKey } from "@/server/features/cache/cache";
import { type QuoteLine, quote, requiredResources } from "@/server/features/pricing/quote";
import { AppError } from "@/server/lib/errors";
import { memoKey } from "@/server/lib/memo";
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

function scheduleKey(global: number, from: string, to: string, route: number, date: string): string {
  return `sched:${global}:${routeKey(from, to)}:${route}:${date}`;
}

/**
 * What the last search of a (route pair, day) in this process saw: the versions and the sailing ids.
 * The next search bets that nothing changed and reads the versions and those sailings' availability in
 * one MGET; if the versions moved, it falls back to the two-step path. Bounded like the local cache.
 */
type Hint = { global: number; route: number; ids: number[] };
const HINTS = memoKey("search.hints", () => new Map<string, Hint>());
const HINTS_MAX = 2_000;

function rememberHint(hints: Map<string, Hint>, key: string, hint: Hint) {
  hints.delete(key);
  hints.set(key, hint);
  if (hints.size > HINTS_MAX) {
    const oldest = hints.keys().next().value;
    if (oldest !== undefined) hints.delete(oldest);
  }
}

/**
 * Every read of Postgres behind a search, logged at debug level: "search loaded" with the kind and key
 * says what the cache did not answer (tests count these lines).
 */
function loaded(svc: Services, kind: "schedule" | "availability", key: string) {
  svc.log.debug("search loaded", { kind, key });
}

/** Looks up a route pair's day, answering from the cache when it can. */
export async function getDaySchedule(
  svc: Services,
  q: { from: string; to: string; date: string; fromTimeZone: string },
) {
  const versions = await svc.cache.versions([routeKey(q.from, q.to)]);
  const load = () => {
    loaded(svc, "schedule", `${q.from}-${q.to}:${q.date}`);
    return loadDaySchedule(svc.db, q);
  };
  if (!versions) return { schedule: await load(), global: 0, route: 0 };
  const route = versions.routes[0] ?? 0;
  const key = scheduleKey(versions.global, q.from, q.to, route, q.date);
  return {
    schedule: await svc.cache.getOrLoad<DaySchedule>("schedule", key, load),
    global: versions.global,
    route,
  };
}

export async function getAvailability(
  svc: Services,
  global: number,
  sailingIds: number[],
): Promise<Availability[]> {
  if (!svc.cache.enabled) {
    for (const id of sailingIds) loaded(svc, "availability", String(id));
    const m = await loadAvailability(svc.db, sailingIds);
    return sailingIds.map((id) => m.get(id) ?? {});
  }
  return svc.cache.getManyOrLoad<Availability>(
    "availability",
    sailingIds.map((id) => availabilityKey(global, id)),
    (i) => loadOneAvailability(svc, sailingIds[i] as number),
  );
}

async function loadOneAvailability(svc: Services, id: number): Promise<Availability> {
  loaded(svc, "availability", String(id));
  return (await loadAvailability(svc.db, [id])).get(id) ?? {};
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
    throw new AppError("UNKNOWN_PORT", `We do not serve a port with code ${input.from}.`, { field: "from" });
  if (!to)
    throw new AppError("UNKNOWN_PORT", `We do not serve a port with code ${input.to}.`, { field: "to" });
  if (!from.destinations.includes(to.code)) {
    throw new AppError(
      "NO_CROSSING",
      `There is no crossing from ${from.name} to ${to.name}. Choose another destination.`,
      {
        field: "to",
      },
    );
  }
  const today = localDate(now, from.timeZone);
  if (input.date < today) {
    throw new AppError(
      "DATE_PASSED",
      `${input.date} has already passed in ${from.name}. Choose today or a later date.`,
      {
        field: "date",
      },
    );
  }

  // Fast path: one round trip to Redis when this process has seen this day before and nothing changed.
  const hints = svc.memo.get(HINTS);
  const hintKey = `${routeKey(input.from, input.to)}:${input.date}`;
  const hint = hints.get(hintKey);
  let day: { schedule: DaySchedule; global: number; route: number } | undefined;
  let prefetched: Map<number, Availability | null> | undefined;
  if (hint && svc.cache.enabled) {
    const res = await svc.cache.versionsWith<Availability>(
      [routeKey(input.from, input.to)],
      hint.ids.map((id) => availabilityKey(hint.global, id)),
    );
    if (res && res.global === hint.global && res.routes[0] === hint.route) {
      const cached = svc.cache.peekLocal<DaySchedule>(
        "schedule",
        scheduleKey(res.global, input.from, input.to, hint.route, input.date),
      );
      if (cached) {
        day = { schedule: cached, global: res.global, route: hint.route };
        prefetched = new Map(hint.ids.map((id, i) => [id, res.extra[i] ?? null]));
      }
    }
  }
  day ??= await getDaySchedule(svc, { ...input, fromTimeZone: from.timeZone });
  const { schedule, global } = day;
  rememberHint(hints, hintKey, { global, route: day.route, ids: schedule.sailings.map((s) => s.id) });
  if (schedule.horizon === null || input.date > schedule.horizon) {
    throw new AppError(
      "NOT_PUBLISHED",
      schedule.horizon
        ? `Sailings from ${from.name} to ${to.name} are published up to ${schedule.horizon}. Choose an earlier date.`
        : `No sailings are scheduled from ${from.name} to ${to.name} yet.`,
      { field: "date", horizon: schedule.horizon },
    );
  }

  const upcoming = schedule.sailings.filter((s) => s.departureAt > now.getTime());
  const wantedIds = upcoming.map((s) => s.id);
  const availability = prefetched
    ? await svc.cache.fillMany<Availability>(
        "availability",
        wantedIds.map((id) => availabilityKey(global, id)),
        wantedIds.map((id) => prefetched.get(id) ?? null),
        (i) => loadOneAvailability(svc, wantedIds[i] as number),
      )
    : await getAvailability(svc, global, wantedIds);
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
