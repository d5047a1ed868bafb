// The read side: GetRoutes, GetTimeTables, GetSailings, GetServices and GetPrice.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { OperatorError } from "./errors";
import { CURRENCY, passengerFares, price } from "./fares";
import { freeAll, type Need, needFor, shortfall, VEHICLE_CLASSES } from "./inventory";
import { addDays, daysBetween, OPERATOR_NAMES, PORTS } from "./network";
import {
  type Ctx,
  faresOf,
  findRoute,
  requireSailing,
  type Sailing,
  sailingsOn,
  statusOf,
  viewOf,
  windowOf,
} from "./sailings";
import type { Quote } from "./store";
import {
  type Accommodation,
  accommodations,
  CABIN_BERTHS,
  type ClassOffer,
  type GetPriceResponse,
  type GetRoutesResponse,
  type GetSailingsResponse,
  type GetServicesResponse,
  type GetTimeTablesResponse,
  type Party,
  type VehicleType,
  vehicleTypes,
} from "./types";
import type {
  getPriceRequest,
  getSailingsRequest,
  getServicesRequest,
  getTimeTablesRequest,
} from "./schemas";
import type {} from "./schemas";

/** Longest date range one GetTimeTables call may ask for. */
export const MAX_TIMETABLE_DAYS = 120;

export function getRoutes(ctx: Ctx): GetRoutesResponse {
  const ports = new Set(ctx.routes.flatMap((r) => [r.from, r.to]));
  const first = ctx.routes[0]!;
  return {
    operator: { code: ctx.code, name: OPERATOR_NAMES[ctx.code] },
    ports: [...ports].sort().map((code) => ({ ...PORTS[code]! })),
    routes: ctx.routes.map((r) => ({
      from: r.from,
      to: r.to,
      vessel: r.vessel.name,
      durationMinutes: r.durationMinutes,
      weekdays: [...r.weekdays].sort(),
      departureTime: r.time,
    })),
    window: windowOf(ctx, first),
  };
}

export function getTimeTables(ctx: Ctx, input: z.output<typeof getTimeTablesRequest>): GetTimeTablesResponse {
  const route = findRoute(ctx, input.from, input.to);
  const span = daysBetween(input.fromDate, input.toDate);
  if (span < 0) throw new OperatorError(400, "VALIDATION_ERROR", "toDate must not be before fromDate.");
  if (span >= MAX_TIMETABLE_DAYS) {
    throw new OperatorError(400, "VALIDATION_ERROR", `Ask for at most ${MAX_TIMETABLE_DAYS} days at a time.`);
  }
  const departures = [];
  for (let day = 0; day <= span; day++) {
    for (const sailing of sailingsOn(ctx, route, addDays(input.fromDate, day)))
      departures.push(viewOf(ctx, sailing));
  }
  return { from: route.from, to: route.to, departures };
}

function classOffer(
  ctx: Ctx,
  sailing: Sailing,
  accommodation: Accommodation,
  party: Party,
  vehicleType: VehicleType | undefined,
  pets: number,
): ClassOffer {
  const need = needFor(party, accommodation, vehicleType, pets);
  const priced = price(faresOf(ctx, sailing), party, accommodation, vehicleType, pets);
  return {
    accommodation,
    unit: accommodation.startsWith("CABIN") ? "cabin" : "place",
    free: freeAll(sailing.state.inventory)[accommodation],
    bookable: fits(ctx, sailing, need),
    price: { amount: priced.total, currency: priced.currency },
  };
}

export function getSailings(ctx: Ctx, input: z.output<typeof getSailingsRequest>): GetSailingsResponse {
  const route = findRoute(ctx, input.from, input.to);
  const vehicleType = input.vehicle?.type;
  return {
    from: route.from,
    to: route.to,
    date: input.date,
    currency: CURRENCY,
    sailings: sailingsOn(ctx, route, input.date).map((sailing) => {
      const cancelled = sailing.state.cancelled !== null;
      const free = freeAll(sailing.state.inventory);
      const availability = cancelled
        ? (Object.fromEntries(Object.keys(free).map((r) => [r, 0])) as typeof free)
        : free;
      return {
        ...viewOf(ctx, sailing),
        availability,
        classes: accommodations.map((a) => {
          const offer = classOffer(ctx, sailing, a, input.passengers, vehicleType, input.pets);
          return cancelled ? { ...offer, free: 0 } : offer;
        }),
      };
    }),
  };
}

export function getServices(ctx: Ctx, input: z.output<typeof getServicesRequest>): GetServicesResponse {
  const sailing = requireSailing(ctx, input.sailingId);
  const fare = faresOf(ctx, sailing);
  const free = freeAll(sailing.state.inventory);
  const open = sailing.state.cancelled === null;
  const left = (n: number) => (open ? n : 0);
  return {
    sailing: viewOf(ctx, sailing),
    currency: CURRENCY,
    passengers: { free: left(free.PASSENGER) },
    accommodations: accommodations.map((accommodation) => {
      const cabin = accommodation.startsWith("CABIN");
      return {
        accommodation,
        unit: cabin ? "cabin" : "place",
        berths: cabin ? CABIN_BERTHS : null,
        free: left(free[accommodation]),
        fares: passengerFares(fare, accommodation),
      };
    }),
    vehicles: vehicleTypes.map((type) => ({ type, ...VEHICLE_CLASSES[type], fare: fare(`vehicle:${type}`) })),
    vehicleDeck: { freeUnits: left(free.VEHICLE) },
    pets: { freeKennels: left(free.KENNEL), fare: fare("pet") },
  };
}

/** Canonical text of a priced selection: a quote is only good for exactly what it priced. */
export function selectionKey(
  sailingId: string,
  accommodation: Accommodation,
  party: Party,
  vehicleType: VehicleType | undefined,
  pets: number,
): string {
  return JSON.stringify([
    sailingId,
    accommodation,
    party.adults,
    party.children,
    party.infants,
    vehicleType ?? null,
    pets,
  ]);
}

/** Prices a selection at current fares and stores a quote for it. */
export function issueQuote(
  ctx: Ctx,
  sailing: Sailing,
  accommodation: Accommodation,
  party: Party,
  vehicleType: VehicleType | undefined,
  pets: number,
): Quote {
  const priced = price(faresOf(ctx, sailing), party, accommodation, vehicleType, pets);
  const quote: Quote = {
    id: `Q-${randomBytes(9).toString("base64url")}`,
    sailingId: sailing.planned.id,
    accommodation,
    selection: selectionKey(sailing.planned.id, accommodation, party, vehicleType, pets),
    total: priced.total,
    currency: priced.currency,
    lines: priced.lines,
    validUntil: ctx.clock.now() + ctx.config.quoteMinutes * 60_000,
  };
  ctx.store.quotes.set(quote.id, quote);
  return quote;
}

export function quoteResponse(quote: Quote, available: boolean): GetPriceResponse {
  return {
    quoteId: quote.id,
    sailingId: quote.sailingId,
    accommodation: quote.accommodation,
    total: { amount: quote.total, currency: quote.currency },
    lines: quote.lines.map((line) => ({ ...line })),
    validUntil: new Date(quote.validUntil).toISOString(),
    available,
  };
}

/** Whether the selection fits in what is free on an open sailing right now. */
export function fits(ctx: Ctx, sailing: Sailing, need: Need): boolean {
  return statusOf(ctx, sailing) === "OPEN" && shortfall(sailing.state.inventory, need) === null;
}

export function getPrice(ctx: Ctx, input: z.output<typeof getPriceRequest>): GetPriceResponse {
  const sailing = requireSailing(ctx, input.sailingId);
  assertOnSale(ctx, sailing);
  const vehicleType = input.vehicle?.type;
  const quote = issueQuote(ctx, sailing, input.accommodation, input.passengers, vehicleType, input.pets);
  const need = needFor(input.passengers, input.accommodation, vehicleType, input.pets);
  return quoteResponse(quote, fits(ctx, sailing, need));
}

/** Refuses a sailing that cannot be sold: cancelled, departed, or within the sales cut-off. */
export function assertOnSale(ctx: Ctx, sailing: Sailing): void {
  const status = statusOf(ctx, sailing);
  const id = sailing.planned.id;
  if (status === "CANCELLED") {
    throw new OperatorError(409, "SAILING_CANCELLED", "The operator cancelled this sailing.", {
      sailingId: id,
    });
  }
  if (status === "DEPARTED") {
    throw new OperatorError(409, "SAILING_DEPARTED", "This sailing has already left.", { sailingId: id });
  }
  if (status === "CLOSED") {
    throw new OperatorError(
      409,
      "SALES_CLOSED",
      `Sales close ${ctx.config.salesCloseMinutes} minutes before departure.`,
      { sailingId: id },
    );
  }
}

/** Drops quotes that can no longer be used, so the map does not grow forever. */
export function dropExpiredQuotes(ctx: Ctx): void {
  const now = ctx.clock.now();
  for (const [id, quote] of ctx.store.quotes) if (quote.validUntil <= now) ctx.store.quotes.delete(id);
}
