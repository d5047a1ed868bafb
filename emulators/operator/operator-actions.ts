// What the operator itself does to its network, driven by the control API: cancel or move a sailing,
// change fares, withdraw places. Every change that an agent must hear about goes into the change feed.
import { expireDue } from "./bookings";
import { OperatorError } from "./errors";
import type { FareKey, FareOverride } from "./fares";
import { free, release, setFree } from "./inventory";
import { addDays, daysBetween } from "./network";
import {
  type Ctx,
  findRoute,
  localDeparture,
  requireSailing,
  type Sailing,
  sailingsOn,
  statusOf,
  windowOf,
} from "./sailings";
import type { Change, Resource } from "./types";
import { resources } from "./types";

function assertNotOver(ctx: Ctx, sailing: Sailing): void {
  const status = statusOf(ctx, sailing);
  if (status === "CANCELLED")
    throw new OperatorError(409, "SAILING_CANCELLED", "This sailing is already cancelled.");
  if (status === "DEPARTED")
    throw new OperatorError(409, "SAILING_DEPARTED", "This sailing has already left.");
}

/** Cancels a sailing: its live bookings become CANCELLED_BY_OPERATOR (full refund of what was confirmed). */
export function cancelSailing(ctx: Ctx, sailingId: string, reason: string): Change[] {
  expireDue(ctx);
  const sailing = requireSailing(ctx, sailingId);
  assertNotOver(ctx, sailing);
  const now = ctx.clock.now();
  sailing.state.cancelled = { reason, at: now };
  const hit = [...ctx.store.bookings.values()].filter(
    (b) => b.sailingId === sailingId && (b.status === "PROVISIONAL" || b.status === "CONFIRMED"),
  );
  const date = localDeparture(sailing).date;
  const base = { from: sailing.route.from, to: sailing.route.to, dates: [date], sailingId };
  const changes: Change[] = [
    ctx.feed.append({ type: "SAILING_CANCELLED", ...base, reason, affectedBookings: hit.length }),
  ];
  for (const booking of hit) {
    const paid = booking.status === "CONFIRMED" ? booking.total : 0;
    release(sailing.state.inventory, booking.need, booking.status === "CONFIRMED" ? "sold" : "held");
    booking.status = "CANCELLED_BY_OPERATOR";
    const refund = { amount: paid, currency: booking.currency };
    booking.cancellation = {
      band: "OPERATOR_CANCELLED",
      percent: 0,
      charge: { amount: 0, currency: booking.currency },
      refund,
      by: "OPERATOR",
      at: new Date(now).toISOString(),
    };
    changes.push(
      ctx.feed.append({
        type: "BOOKING_CANCELLED",
        ...base,
        operatorReference: booking.operatorReference,
        agentReference: booking.agentReference,
        status: "CANCELLED_BY_OPERATOR",
        refund,
      }),
    );
  }
  return changes;
}

/** Moves a departure (the arrival follows); the sailing keeps its id and its bookings. */
export function moveSailing(ctx: Ctx, sailingId: string, departureMs: number): Change {
  const sailing = requireSailing(ctx, sailingId);
  assertNotOver(ctx, sailing);
  if (departureMs <= ctx.clock.now()) {
    throw new OperatorError(400, "VALIDATION_ERROR", "The new departure must be in the future.");
  }
  const previous = { departureAt: iso(sailing.departureMs), arrivalAt: iso(sailing.arrivalMs) };
  const before = localDeparture(sailing).date;
  sailing.state.movedDepartureMs = departureMs;
  const after = requireSailing(ctx, sailingId);
  const dates = [...new Set([before, localDeparture(after).date])].sort();
  return ctx.feed.append({
    type: "SCHEDULE_CHANGED",
    from: sailing.route.from,
    to: sailing.route.to,
    dates,
    sailingId,
    previous,
    current: { departureAt: iso(after.departureMs), arrivalAt: iso(after.arrivalMs) },
  });
}

export interface FareChangeInput {
  sailingId?: string;
  from?: string;
  to?: string;
  fromDate?: string;
  toDate?: string;
  base?: number;
  fare?: { key: FareKey; amount: number };
}

function applyFare(target: FareOverride, input: FareChangeInput): FareOverride {
  if (input.base !== undefined)
    return { base: input.base, lines: input.fare ? { [input.fare.key]: input.fare.amount } : {} };
  return { base: target.base, lines: { ...target.lines, [input.fare!.key]: input.fare!.amount } };
}

/**
 * Changes fares for one sailing, for a route's sailings between two dates, or for the whole route.
 * A new base re-derives every fare of that scope (and drops its single-fare overrides).
 */
export function setFare(ctx: Ctx, input: FareChangeInput): Change {
  const empty = (): FareOverride => ({ lines: {} });
  if (input.sailingId) {
    const sailing = requireSailing(ctx, input.sailingId);
    sailing.state.fares = applyFare(sailing.state.fares ?? empty(), input);
    return ctx.feed.append({
      type: "FARE_CHANGED",
      from: sailing.route.from,
      to: sailing.route.to,
      dates: [localDeparture(sailing).date],
      sailingId: sailing.planned.id,
    });
  }
  const route = findRoute(ctx, input.from ?? "", input.to ?? "");
  const window = windowOf(ctx, route);
  const fromDate = input.fromDate ?? window.fromDate;
  const toDate = input.toDate ?? window.toDate;
  const dates: string[] = [];
  const span = daysBetween(fromDate, toDate);
  for (let day = 0; day <= span; day++) {
    const date = addDays(fromDate, day);
    const sailings = sailingsOn(ctx, route, date);
    if (sailings.length > 0) dates.push(date);
    if (input.fromDate || input.toDate) {
      for (const sailing of sailings) sailing.state.fares = applyFare(sailing.state.fares ?? empty(), input);
    }
  }
  if (!input.fromDate && !input.toDate) {
    ctx.store.routeFares.set(route.key, applyFare(ctx.store.routeFares.get(route.key) ?? empty(), input));
    // A route-wide change wins over earlier single-sailing changes of the same kind.
    for (const [id, state] of ctx.store.sailings) {
      if (!id.includes(`-${route.key}-`) || !state.fares) continue;
      if (input.base !== undefined) state.fares = undefined;
      else delete state.fares.lines[input.fare!.key];
    }
  }
  return ctx.feed.append({ type: "FARE_CHANGED", from: route.from, to: route.to, dates, sailingId: null });
}

/** Withdraws places so that exactly `free` units are left (0 = sold out); never touches bookings. */
export function setAvailability(
  ctx: Ctx,
  sailingId: string,
  only: Resource[] | undefined,
  left: number,
): Record<Resource, number> {
  const sailing = requireSailing(ctx, sailingId);
  const out = {} as Record<Resource, number>;
  for (const resource of resources) {
    const row = sailing.state.inventory[resource];
    if (!only || only.includes(resource)) setFree(row, left);
    out[resource] = free(row);
  }
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
