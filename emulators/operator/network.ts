// The operators' own networks: ports, vessels, routes and weekly timetables. Everything here is pure
// and deterministic, so a sailing id always names the same departure and tests can compute what the
// emulator will answer. Capacities mirror the big/mid/small ships of src/server/seed/seed.ts.
import { TZDate } from "@date-fns/tz";
import { addDays, daysBetween, isIsoDate as isValidIsoDate, isoWeekday } from "../../src/shared/dates";
import type { OperatorCode, Resource } from "./types";

export interface PortInfo {
  code: string;
  name: string;
  country: string;
  timeZone: string;
}

export const PORTS: Record<string, PortInfo> = {
  TUN: { code: "TUN", name: "Tunis (La Goulette)", country: "TN", timeZone: "Africa/Tunis" },
  GOA: { code: "GOA", name: "Genoa", country: "IT", timeZone: "Europe/Rome" },
  CIV: { code: "CIV", name: "Civitavecchia (Rome)", country: "IT", timeZone: "Europe/Rome" },
  PMO: { code: "PMO", name: "Palermo", country: "IT", timeZone: "Europe/Rome" },
  SAL: { code: "SAL", name: "Salerno", country: "IT", timeZone: "Europe/Rome" },
  BCN: { code: "BCN", name: "Barcelona", country: "ES", timeZone: "Europe/Madrid" },
};

export type Capacities = Record<Resource, number>;

/** The large ferries' capacities (an emulator started with `load: 0` sells exactly these). */
export const bigShip: Capacities = {
  PASSENGER: 2000,
  DECK: 700,
  SEAT: 450,
  CABIN_INSIDE: 160,
  CABIN_OUTSIDE: 110,
  VEHICLE: 1100,
  KENNEL: 12,
};
const midShip: Capacities = {
  PASSENGER: 1300,
  DECK: 450,
  SEAT: 300,
  CABIN_INSIDE: 110,
  CABIN_OUTSIDE: 60,
  VEHICLE: 800,
  KENNEL: 8,
};
const smallShip: Capacities = {
  PASSENGER: 600,
  DECK: 250,
  SEAT: 200,
  CABIN_INSIDE: 40,
  CABIN_OUTSIDE: 20,
  VEHICLE: 300,
  KENNEL: 4,
};

export interface VesselInfo {
  name: string;
  capacities: Capacities;
}

const VESSELS: Record<string, VesselInfo> = {
  "La Suprema": { name: "La Suprema", capacities: bigShip },
  Excellent: { name: "Excellent", capacities: midShip },
  "Cruise Barcelona": { name: "Cruise Barcelona", capacities: bigShip },
  Catania: { name: "Catania", capacities: smallShip },
};

/** One direction of a line. Departure times are wall-clock times at the departure port. */
export interface RouteDef {
  /** `TUNGOA`: from + to, as it appears in sailing ids. */
  key: string;
  from: string;
  to: string;
  vessel: VesselInfo;
  durationMinutes: number;
  /** ISO weekdays (1 = Monday … 7 = Sunday) of the local departure date. */
  weekdays: number[];
  /** Local departure time at `from`, HH:MM. */
  time: string;
  /** Adult deck fare in EUR cents; every other fare derives from it (see fares.ts). */
  base: number;
}

interface LineSeed {
  from: string;
  to: string;
  vessel: string;
  minutes: number;
  days: number[];
  time: string;
  /** The return sails on the local day after the outbound arrives (checked by network.test.ts). */
  returnDays: number[];
  returnTime: string;
  base: number;
}

const LINES: Record<OperatorCode, LineSeed[]> = {
  GNV: [
    {
      from: "TUN",
      to: "GOA",
      vessel: "La Suprema",
      minutes: 24 * 60,
      days: [2, 4, 7],
      time: "20:00",
      returnDays: [4, 6, 2],
      returnTime: "21:00",
      base: 15_900,
    },
    {
      from: "TUN",
      to: "PMO",
      vessel: "Excellent",
      minutes: 10 * 60,
      days: [1, 2, 3, 4, 5, 6, 7],
      time: "21:00",
      returnDays: [1, 2, 3, 4, 5, 6, 7],
      returnTime: "20:00",
      base: 8_900,
    },
  ],
  GRM: [
    {
      from: "TUN",
      to: "CIV",
      vessel: "Cruise Barcelona",
      minutes: 22 * 60,
      days: [3, 7],
      time: "19:30",
      returnDays: [5, 2],
      returnTime: "20:00",
      base: 14_900,
    },
    {
      from: "TUN",
      to: "SAL",
      vessel: "Catania",
      minutes: 20 * 60,
      days: [4],
      time: "16:00",
      returnDays: [6],
      returnTime: "14:00",
      base: 12_900,
    },
    {
      from: "TUN",
      to: "BCN",
      vessel: "Cruise Barcelona",
      minutes: 29 * 60,
      days: [5],
      time: "14:00",
      returnDays: [7],
      returnTime: "22:00",
      base: 19_900,
    },
  ],
};

export const OPERATOR_NAMES: Record<OperatorCode, string> = {
  GNV: "Grandi Navi Veloci",
  GRM: "Grimaldi Lines",
};

export function operatorRoutes(code: OperatorCode): RouteDef[] {
  return LINES[code].flatMap((line) => {
    const vessel = VESSELS[line.vessel];
    if (!vessel) throw new Error(`unknown vessel ${line.vessel}`);
    const common = { vessel, durationMinutes: line.minutes, base: line.base };
    return [
      {
        key: line.from + line.to,
        from: line.from,
        to: line.to,
        weekdays: line.days,
        time: line.time,
        ...common,
      },
      {
        key: line.to + line.from,
        from: line.to,
        to: line.from,
        weekdays: line.returnDays,
        time: line.returnTime,
        ...common,
      },
    ];
  });
}

export function portOf(code: string): PortInfo {
  const port = PORTS[code];
  if (!port) throw new Error(`unknown port ${code}`);
  return port;
}

// ---- calendar helpers (dates are YYYY-MM-DD local calendar dates) ----

// The same calendar arithmetic as the app's (pure functions, no app state).
export { addDays, daysBetween, isValidIsoDate, isoWeekday };

/** The UTC instant of a wall-clock time on a local date in `timeZone`. */
export function localToUtc(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return new TZDate(y, m - 1, d, hh, mm, 0, timeZone).getTime();
}

/** Local date and HH:MM of an instant in `timeZone`. */
export function utcToLocal(ms: number, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { date: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}` };
}

// ---- sailings as the timetable defines them (before any operator change) ----

export interface PlannedSailing {
  id: string;
  route: RouteDef;
  /** Local departure date at `route.from` as planned; part of the id, never changes. */
  plannedDate: string;
  departureMs: number;
  arrivalMs: number;
}

export function sailingId(code: OperatorCode, route: RouteDef, date: string): string {
  return `${code}-${route.key}-${date.replaceAll("-", "")}-${route.time.replace(":", "")}`;
}

/** The sailing the timetable plans on that local date, or null if the route does not sail that day. */
export function plannedSailing(code: OperatorCode, route: RouteDef, date: string): PlannedSailing | null {
  if (!route.weekdays.includes(isoWeekday(date))) return null;
  const departureMs = localToUtc(date, route.time, portOf(route.from).timeZone);
  return {
    id: sailingId(code, route, date),
    route,
    plannedDate: date,
    departureMs,
    arrivalMs: departureMs + route.durationMinutes * 60_000,
  };
}

const ID_PATTERN = /^([A-Z]{3})-([A-Z]{6})-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})$/;

/** Reads a sailing id back into the timetable entry it names; null when it names nothing real. */
export function parseSailingId(code: OperatorCode, routes: RouteDef[], id: string): PlannedSailing | null {
  const match = ID_PATTERN.exec(id);
  if (!match || match[1] !== code) return null;
  const [, , key, y, m, d, hh, mm] = match;
  const route = routes.find((r) => r.key === key);
  const date = `${y}-${m}-${d}`;
  if (!route || !isValidIsoDate(date) || route.time !== `${hh}:${mm}`) return null;
  return plannedSailing(code, route, date);
}
