// The write side an agent drives: Book (provisional), ConfirmBooking, RecallBooking, GetCancelCharge
// and CancelBooking. Each runs synchronously once its request is processed, so two requests never
// interleave inside one operation: that is what keeps inventory exact without locks.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { assertOnSale, issueQuote, quoteResponse, selectionKey } from "./catalog";
import { notFound, OperatorError } from "./errors";
import {
  confirmHeld,
  free,
  hold,
  needFor,
  RESOURCE_WORDS,
  release,
  shortfall,
  VEHICLE_CLASSES,
} from "./inventory";
import { type Ctx, findSailing, requireSailing, type Sailing, viewOf } from "./sailings";
import type { Booking } from "./store";
import type {
  BookingResponse,
  BookingView,
  CancelBand,
  CancelChargeResponse,
  Party,
  PassengerType,
  SailingView,
} from "./types";
import type { bookingRefRequest, bookRequest, cancelBookingRequest } from "./schemas";

const DAY_MS = 86_400_000;
const REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** Moves every provisional booking whose time is up to EXPIRED and frees what it held. */
export function expireDue(ctx: Ctx): void {
  const now = ctx.clock.now();
  for (const booking of ctx.store.bookings.values()) {
    if (booking.status !== "PROVISIONAL" || booking.expiresAt > now) continue;
    const sailing = findSailing(ctx, booking.sailingId);
    if (sailing) release(sailing.state.inventory, booking.need, "held");
    booking.status = "EXPIRED";
  }
}

function newReference(ctx: Ctx): string {
  for (;;) {
    const bytes = randomBytes(6);
    const ref = ctx.code + [...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join("");
    if (!ctx.store.bookings.has(ref)) return ref;
  }
}

function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const AGE_RANGE: Record<PassengerType, [number, number, string]> = {
  adult: [12, 150, "12 or older"],
  child: [4, 11, "4 to 11"],
  infant: [0, 3, "0 to 3"],
};

function checkPassengersFit(input: z.output<typeof bookRequest>, departure: SailingView): void {
  input.passengers.forEach((p, index) => {
    if (!p.dateOfBirth) return;
    const age = ageOn(p.dateOfBirth, departure.departureDate);
    const [min, max, words] = AGE_RANGE[p.type];
    if (age < min || age > max) {
      throw new OperatorError(
        400,
        "VALIDATION_ERROR",
        `passengers.${index}.dateOfBirth: ${p.type === "child" ? "a" : "an"} ${p.type} must be ${words} on the departure date (${departure.departureDate}).`,
        { path: `passengers.${index}.dateOfBirth` },
      );
    }
  });
  const vehicle = input.vehicle;
  if (!vehicle) return;
  const limits = VEHICLE_CLASSES[vehicle.type];
  if ((vehicle.heightCm ?? 0) > limits.maxHeightCm || (vehicle.lengthCm ?? 0) > limits.maxLengthCm) {
    throw new OperatorError(
      400,
      "VEHICLE_TOO_LARGE",
      `A ${vehicle.type} may be at most ${limits.maxHeightCm} cm high and ${limits.maxLengthCm} cm long; book a larger vehicle type.`,
      { type: vehicle.type, ...limits },
    );
  }
}

function partyOf(input: z.output<typeof bookRequest>): Party {
  const count = (type: PassengerType) => input.passengers.filter((p) => p.type === type).length;
  return { adults: count("adult"), children: count("child"), infants: count("infant") };
}

export function bookingView(ctx: Ctx, booking: Booking): BookingView {
  const sailing = requireSailing(ctx, booking.sailingId);
  return {
    operatorReference: booking.operatorReference,
    agentReference: booking.agentReference,
    status: booking.status,
    sailing: viewOf(ctx, sailing),
    accommodation: booking.accommodation,
    party: { ...booking.party },
    vehicle: booking.vehicle ? { type: booking.vehicle.type } : null,
    pets: booking.pets,
    total: { amount: booking.total, currency: booking.currency },
    lines: booking.lines.map((line) => ({ ...line })),
    createdAt: new Date(booking.createdAt).toISOString(),
    expiresAt: booking.status === "PROVISIONAL" ? new Date(booking.expiresAt).toISOString() : null,
    confirmedAt: booking.confirmedAt === null ? null : new Date(booking.confirmedAt).toISOString(),
    cancellation: booking.cancellation ? structuredClone(booking.cancellation) : null,
  };
}

export interface BookOutcome {
  created: boolean;
  body: BookingResponse;
}

export function book(ctx: Ctx, input: z.output<typeof bookRequest>): BookOutcome {
  const { quoteId: _ignored, agentReference, ...content } = input;
  const fingerprint = JSON.stringify(content);
  const existingRef = ctx.store.byAgent.get(agentReference);
  if (existingRef) {
    const existing = ctx.store.bookings.get(existingRef)!;
    if (existing.fingerprint !== fingerprint) {
      throw new OperatorError(
        409,
        "IDEMPOTENCY_CONFLICT",
        `agentReference ${agentReference} was already used for a different booking.`,
        { operatorReference: existing.operatorReference },
      );
    }
    return { created: false, body: { booking: bookingView(ctx, existing) } };
  }

  const sailing = requireSailing(ctx, input.sailingId);
  assertOnSale(ctx, sailing);
  checkPassengersFit(input, viewOf(ctx, sailing));
  const party = partyOf(input);
  const vehicleType = input.vehicle?.type;
  const need = needFor(party, input.accommodation, vehicleType, input.pets);
  const short = shortfall(sailing.state.inventory, need);
  if (short) {
    throw new OperatorError(409, "SOLD_OUT", `Not enough ${RESOURCE_WORDS[short]} left on this sailing.`, {
      sailingId: sailing.planned.id,
      resource: short,
      free: free(sailing.state.inventory[short]),
      needed: need[short],
    });
  }

  const now = ctx.clock.now();
  const selection = selectionKey(sailing.planned.id, input.accommodation, party, vehicleType, input.pets);
  const quote = input.quoteId ? ctx.store.quotes.get(input.quoteId) : undefined;
  const liveQuote = quote && quote.validUntil > now ? quote : undefined;
  if (liveQuote && liveQuote.selection !== selection) {
    throw new OperatorError(409, "QUOTE_MISMATCH", "quoteId was issued for a different selection.", {
      quoteId: liveQuote.id,
    });
  }
  const priced = liveQuote ?? issueQuote(ctx, sailing, input.accommodation, party, vehicleType, input.pets);
  const { total, currency } = priced;
  if (total !== input.expectedTotal.amount || currency !== input.expectedTotal.currency) {
    const fresh = liveQuote
      ? issueQuote(ctx, sailing, input.accommodation, party, vehicleType, input.pets)
      : priced;
    throw new OperatorError(409, "PRICE_CHANGED", "The price is no longer the one you expected.", {
      price: quoteResponse(fresh, true),
    });
  }

  hold(sailing.state.inventory, need);
  const booking: Booking = {
    operatorReference: newReference(ctx),
    agentReference,
    fingerprint,
    sailingId: sailing.planned.id,
    accommodation: input.accommodation,
    party,
    passengers: input.passengers,
    vehicle: input.vehicle ?? null,
    pets: input.pets,
    need,
    total,
    currency,
    lines: priced.lines,
    quoteId: liveQuote?.id ?? null,
    status: "PROVISIONAL",
    createdAt: now,
    expiresAt: now + ctx.config.provisionalMinutes * 60_000,
    confirmedAt: null,
    cancellation: null,
  };
  ctx.store.bookings.set(booking.operatorReference, booking);
  ctx.store.byAgent.set(agentReference, booking.operatorReference);
  return { created: true, body: { booking: bookingView(ctx, booking) } };
}

export function findBooking(ctx: Ctx, ref: z.output<typeof bookingRefRequest>): Booking {
  const byOperator = ref.operatorReference ? ctx.store.bookings.get(ref.operatorReference) : undefined;
  const agentRef = ref.agentReference ? ctx.store.byAgent.get(ref.agentReference) : undefined;
  const byAgent = agentRef ? ctx.store.bookings.get(agentRef) : undefined;
  const booking = ref.operatorReference ? byOperator : byAgent;
  if (!booking || (ref.operatorReference && ref.agentReference && byOperator !== byAgent))
    throw notFound.booking();
  return booking;
}

export function recall(ctx: Ctx, ref: z.output<typeof bookingRefRequest>): BookingResponse {
  return { booking: bookingView(ctx, findBooking(ctx, ref)) };
}

export function confirm(ctx: Ctx, ref: z.output<typeof bookingRefRequest>): BookingResponse {
  const booking = findBooking(ctx, ref);
  const details = { operatorReference: booking.operatorReference };
  switch (booking.status) {
    case "CONFIRMED":
      break;
    case "EXPIRED":
      throw new OperatorError(
        409,
        "BOOKING_EXPIRED",
        "The provisional booking expired before it was confirmed.",
        details,
      );
    case "CANCELLED":
      throw new OperatorError(409, "BOOKING_CANCELLED", "The booking was cancelled.", details);
    case "CANCELLED_BY_OPERATOR":
      throw new OperatorError(409, "SAILING_CANCELLED", "The operator cancelled this sailing.", details);
    case "PROVISIONAL": {
      const sailing = requireSailing(ctx, booking.sailingId);
      if (sailing.departureMs <= ctx.clock.now()) {
        throw new OperatorError(
          409,
          "SAILING_DEPARTED",
          "The sailing left before the booking was confirmed.",
          details,
        );
      }
      confirmHeld(sailing.state.inventory, booking.need);
      booking.status = "CONFIRMED";
      booking.confirmedAt = ctx.clock.now();
    }
  }
  return { booking: bookingView(ctx, booking) };
}

interface Charge {
  band: CancelBand;
  percent: number;
}

/** The operator's cancellation bands for a confirmed booking, by time left before departure. */
export function chargeBand(departureMs: number, now: number): Charge {
  const ahead = departureMs - now;
  if (ahead > 7 * DAY_MS) return { band: "MORE_THAN_7_DAYS", percent: 10 };
  if (ahead > 2 * DAY_MS) return { band: "7_DAYS_TO_48_HOURS", percent: 50 };
  return { band: "LESS_THAN_48_HOURS", percent: 100 };
}

function currentCharge(ctx: Ctx, booking: Booking, sailing: Sailing): CancelChargeResponse {
  const view = bookingView(ctx, booking);
  const money = (amount: number) => ({ amount, currency: booking.currency });
  if (booking.cancellation) {
    const { band, percent, charge, refund } = booking.cancellation;
    return { booking: view, band, percent, charge, refund };
  }
  if (booking.status === "EXPIRED" || booking.status === "PROVISIONAL") {
    return { booking: view, band: booking.status, percent: 0, charge: money(0), refund: money(0) };
  }
  if (sailing.departureMs <= ctx.clock.now()) {
    throw new OperatorError(
      409,
      "SAILING_DEPARTED",
      "The sailing has left; the booking can no longer be cancelled.",
      {
        operatorReference: booking.operatorReference,
      },
    );
  }
  const { band, percent } = chargeBand(sailing.departureMs, ctx.clock.now());
  const charge = Math.round((booking.total * percent) / 100);
  return { booking: view, band, percent, charge: money(charge), refund: money(booking.total - charge) };
}

export function cancelCharge(ctx: Ctx, ref: z.output<typeof bookingRefRequest>): CancelChargeResponse {
  const booking = findBooking(ctx, ref);
  return currentCharge(ctx, booking, requireSailing(ctx, booking.sailingId));
}

export function cancel(ctx: Ctx, input: z.output<typeof cancelBookingRequest>): CancelChargeResponse {
  const booking = findBooking(ctx, input);
  const sailing = requireSailing(ctx, booking.sailingId);
  const quote = currentCharge(ctx, booking, sailing);
  if (booking.status !== "PROVISIONAL" && booking.status !== "CONFIRMED") return quote;
  const expected = input.expectedCharge;
  if (expected && (expected.amount !== quote.charge.amount || expected.currency !== quote.charge.currency)) {
    throw new OperatorError(
      409,
      "CHARGE_CHANGED",
      "The cancellation charge is no longer the one you expected.",
      {
        band: quote.band,
        percent: quote.percent,
        charge: quote.charge,
        refund: quote.refund,
      },
    );
  }
  release(sailing.state.inventory, booking.need, booking.status === "PROVISIONAL" ? "held" : "sold");
  booking.status = "CANCELLED";
  booking.cancellation = {
    band: quote.band,
    percent: quote.percent,
    charge: quote.charge,
    refund: quote.refund,
    by: "AGENT",
    at: new Date(ctx.clock.now()).toISOString(),
  };
  return { ...quote, booking: bookingView(ctx, booking) };
}
