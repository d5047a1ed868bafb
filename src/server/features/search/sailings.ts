import { accommodations, type Resource } from "@/server/db/schema/resources";
import { routeKey } from "@/server/features/cache/cache";
import { type QuoteLine, quote, requiredResources } from "@/server/features/pricing/quote";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { localDate } from "@/shared/dates";
import type { SearchSailingsInput } from "./input";
import type { Party as ConnectorParty } from "@/server/features/operators/connector";
import { type OperatorAnswer, connectedDay } from "./connected";
import { connectedResults } from "./connected-results";
import { type PortInfo, pairOperators, portDirectory } from "./ports";
import { ACCOMMODATION_NAMES, type SailingOption, type SailingResult, sailingTiming } from "./results";
import {
  type Availability,
  type DaySchedule,
  loadAvailability,
  loadDaySchedule,
  type ScheduledSailing,
} from "./schedule";

export { ACCOMMODATION_NAMES, type SailingOption, type SailingResult } from "./results";
export type { OperatorAnswer } from "./connected";

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
): Promise<{ sailings: SailingResult[]; operators: OperatorAnswer[] }> {
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

  const pair = routeKey(input.from, input.to);
  const serving = (await pairOperators(svc)).get(pair) ?? [];
  const directory = await svc.operators();
  const connected = directory.connected().filter((c) => serving.some((r) => r.operatorCode === c.entry.code));
  const own = [
    ...new Set(serving.map((r) => r.operatorCode).filter((code) => directory.kind(code) !== "connected")),
  ];
  const party: ConnectorParty = {
    ...input.passengers,
    vehicle: input.vehicle?.type ?? null,
    pets: input.pets,
  };

  // Own operators (Postgres, through the cache) and every connected operator serving the pair, at once;
  // each connected answer is bounded by that operator's timeout (connectedDay), so the whole search is too.
  const ownStarted = performance.now();
  const onSale = (schedule: DaySchedule) => schedule.horizon !== null && input.date <= schedule.horizon;
  const upcomingOf = (schedule: DaySchedule) =>
    schedule.sailings.filter((s) => s.departureAt > now.getTime());
  const ownRead = readOwnDay(svc, { ...input, fromTimeZone: from.timeZone }, (d) =>
    onSale(d) ? upcomingOf(d).map((s) => s.id) : [],
  ).then((r) => ({ ...r, ms: Math.round(performance.now() - ownStarted) }));
  const connectedReads = connected.map((c) => connectedDay(svc, c, input, party));
  const [{ schedule, availability, ms: ownMs }, ...answers] = await Promise.all([ownRead, ...connectedReads]);
  if (!onSale(schedule) && connected.length === 0) {
    throw new AppError(
      "NOT_PUBLISHED",
      schedule.horizon
        ? `Sailings from ${from.name} to ${to.name} are published up to ${schedule.horizon}. Choose an earlier date.`
        : `No sailings are scheduled from ${from.name} to ${to.name} yet.`,
      { field: "date", horizon: schedule.horizon },
    );
  }
  const upcoming = onSale(schedule) ? upcomingOf(schedule) : [];
  const ownSailings = ownResults(upcoming, availability, input, from, to);
  const connectedSailings = answers.flatMap((a, i) =>
    connectedResults(a, connected[i]!.entry, {
      input,
      from,
      to,
      now: now.getTime(),
      international: serving.find((r) => r.operatorCode === connected[i]!.entry.code)?.international ?? true,
    }),
  );
  const sailings = [...ownSailings, ...connectedSailings].sort(
    (a, b) => a.departureAt.getTime() - b.departureAt.getTime(),
  );
  const operators: OperatorAnswer[] = [
    ...own.map(
      (code): OperatorAnswer => ({
        code,
        name: directory.entry(code)?.name ?? code,
        source: "own",
        status: "ok",
        ms: ownMs,
      }),
    ),
    ...answers.map((a) => a.answer),
  ];
  return { sailings, operators };
}

function ownResults(
  upcoming: ScheduledSailing[],
  availability: Availability[],
  input: SearchSailingsInput,
  from: PortInfo,
  to: PortInfo,
): SailingResult[] {
  const party = input.passengers;
  const extras = { vehicleType: input.vehicle?.type, pets: input.pets };
  return upcoming.map((s, i): SailingResult => {
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
    return {
      id: s.id,
      source: "own",
      ...sailingTiming(from, to, s.departureAt, s.arrivalAt),
      operator: s.operator,
      vessel: { name: s.vessel.name },
      international: s.international,
      cancelled,
      soldOut: !options.some((o) => o.available),
      options,
    };
  });
}
