// Sailings as they are now: the timetable (network.ts) plus what the operator changed since (moved
// or cancelled sailings, fare overrides), with live status and inventory.
import type { ChangeFeed } from "./changes";
import type { Clock } from "./clock";
import { notFound } from "./errors";
import { type FareLookup, fareLookup } from "./fares";
import { newInventory } from "./inventory";
import {
  addDays,
  daysBetween,
  type PlannedSailing,
  parseSailingId,
  plannedSailing,
  portOf,
  type RouteDef,
  utcToLocal,
} from "./network";
import type { SailingState, Store } from "./store";
import type { OperatorCode, SailingStatus, SailingView } from "./types";

export interface EmulatorConfig {
  seed: number;
  /** Largest share of each resource presold through other channels (0 = empty ships). */
  load: number;
  windowDays: number;
  provisionalMinutes: number;
  quoteMinutes: number;
  salesCloseMinutes: number;
}

export interface Ctx {
  code: OperatorCode;
  routes: RouteDef[];
  clock: Clock;
  store: Store;
  feed: ChangeFeed;
  config: EmulatorConfig;
}

/** How far back a sailing id is still answered (booked sailings are always answered). */
const PAST_DAYS = 31;

export interface Sailing {
  planned: PlannedSailing;
  route: RouteDef;
  departureMs: number;
  arrivalMs: number;
  state: SailingState;
}

export function todayAt(ctx: Ctx, route: RouteDef): string {
  return utcToLocal(ctx.clock.now(), portOf(route.from).timeZone).date;
}

export function windowOf(ctx: Ctx, route: RouteDef): { fromDate: string; toDate: string } {
  const today = todayAt(ctx, route);
  return { fromDate: today, toDate: addDays(today, ctx.config.windowDays - 1) };
}

export function findRoute(ctx: Ctx, from: string, to: string): RouteDef {
  const route = ctx.routes.find((r) => r.from === from && r.to === to);
  if (!route) throw notFound.route(from, to);
  return route;
}

function stateOf(ctx: Ctx, planned: PlannedSailing): SailingState {
  let state = ctx.store.sailings.get(planned.id);
  if (!state) {
    state = {
      inventory: newInventory(planned.route.vessel.capacities, ctx.config.seed, planned.id, ctx.config.load),
      cancelled: null,
      movedDepartureMs: null,
      fares: undefined,
    };
    ctx.store.sailings.set(planned.id, state);
  }
  return state;
}

function current(ctx: Ctx, planned: PlannedSailing): Sailing {
  const state = stateOf(ctx, planned);
  const departureMs = state.movedDepartureMs ?? planned.departureMs;
  return {
    planned,
    route: planned.route,
    departureMs,
    arrivalMs: departureMs + planned.route.durationMinutes * 60_000,
    state,
  };
}

/** The sailing an id names, or null; ids far in the past or beyond the window name nothing unless booked. */
export function findSailing(ctx: Ctx, id: string): Sailing | null {
  const planned = parseSailingId(ctx.code, ctx.routes, id);
  if (!planned) return null;
  if (!ctx.store.sailings.has(id)) {
    const window = windowOf(ctx, planned.route);
    const ahead = daysBetween(window.fromDate, planned.plannedDate);
    if (ahead < -PAST_DAYS || planned.plannedDate > window.toDate) return null;
  }
  return current(ctx, planned);
}

export function requireSailing(ctx: Ctx, id: string): Sailing {
  const sailing = findSailing(ctx, id);
  if (!sailing) throw notFound.sailing(id);
  return sailing;
}

export function localDeparture(sailing: Sailing): { date: string; time: string } {
  return utcToLocal(sailing.departureMs, portOf(sailing.route.from).timeZone);
}

/** Sailings of a route departing on a local date (at the departure port), earliest first. */
export function sailingsOn(ctx: Ctx, route: RouteDef, date: string): Sailing[] {
  const window = windowOf(ctx, route);
  const found: Sailing[] = [];
  const planned =
    date >= window.fromDate && date <= window.toDate ? plannedSailing(ctx.code, route, date) : null;
  if (planned) {
    const sailing = current(ctx, planned);
    if (localDeparture(sailing).date === date) found.push(sailing);
  }
  // Sailings moved onto this date from another planned date.
  for (const [id, state] of ctx.store.sailings) {
    if (state.movedDepartureMs === null || id === planned?.id) continue;
    const other = parseSailingId(ctx.code, ctx.routes, id);
    if (!other || other.route !== route) continue;
    const sailing = current(ctx, other);
    if (localDeparture(sailing).date === date) found.push(sailing);
  }
  return found.sort((a, b) => a.departureMs - b.departureMs);
}

export function statusOf(ctx: Ctx, sailing: Sailing): SailingStatus {
  if (sailing.state.cancelled) return "CANCELLED";
  const now = ctx.clock.now();
  if (sailing.departureMs <= now) return "DEPARTED";
  if (sailing.departureMs - now < ctx.config.salesCloseMinutes * 60_000) return "CLOSED";
  return "OPEN";
}

export function viewOf(ctx: Ctx, sailing: Sailing): SailingView {
  const local = localDeparture(sailing);
  return {
    sailingId: sailing.planned.id,
    from: sailing.route.from,
    to: sailing.route.to,
    departureDate: local.date,
    departureTime: local.time,
    departureAt: new Date(sailing.departureMs).toISOString(),
    arrivalAt: new Date(sailing.arrivalMs).toISOString(),
    durationMinutes: sailing.route.durationMinutes,
    vessel: sailing.route.vessel.name,
    status: statusOf(ctx, sailing),
  };
}

export function faresOf(ctx: Ctx, sailing: Sailing): FareLookup {
  return fareLookup(sailing.route.base, ctx.store.routeFares.get(sailing.route.key), sailing.state.fares);
}
