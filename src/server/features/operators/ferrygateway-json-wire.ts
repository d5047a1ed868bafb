import { z } from "zod";
import { accommodations, passengerTypes, resources, vehicleTypes } from "@/server/db/schema/resources";
import type {
  ConnectedSailing,
  OperatorBooking,
  OperatorChange,
  OperatorNetwork,
  OperatorPriceLine,
  Quote,
  SailingOffer,
} from "./connector";

/**
 * The responses of the FerryGateway JSON rendering (emulators/operator/README.md is the contract), as zod
 * schemas, and their mapping to the connector's domain types. Objects are not strict: an operator adding
 * a field must not break Traverse, but every field Traverse reads is checked, including the money
 * invariants Traverse relies on (line amounts add up, a refund never exceeds the total).
 */

const instant = z.iso.datetime({ offset: true });
const localDate = z.iso.date();
const portCode = z.string().regex(/^[A-Z]{3}$/);
const count = z.number().int().min(0);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const money = z.object({ amount: count, currency: z.string().regex(/^[A-Z]{3}$/) });
const ref = z.string().min(1).max(64);
const bookingStatus = z.enum(["PROVISIONAL", "CONFIRMED", "EXPIRED", "CANCELLED", "CANCELLED_BY_OPERATOR"]);
const cancelBand = z.enum([
  "PROVISIONAL",
  "EXPIRED",
  "MORE_THAN_7_DAYS",
  "7_DAYS_TO_48_HOURS",
  "LESS_THAN_48_HOURS",
  "OPERATOR_CANCELLED",
]);

const sailing = z.object({
  sailingId: ref,
  from: portCode,
  to: portCode,
  departureDate: localDate,
  departureTime: clockTime,
  departureAt: instant,
  arrivalAt: instant,
  durationMinutes: z.number().int().positive(),
  vessel: z.string().min(1).max(100),
  status: z.enum(["OPEN", "CLOSED", "DEPARTED", "CANCELLED"]),
});

export const routesResponse = z.object({
  operator: z.object({ code: portCode, name: z.string().min(1) }),
  ports: z.array(
    z.object({
      code: portCode,
      name: z.string().min(1),
      country: z.string().regex(/^[A-Z]{2}$/),
      timeZone: z.string().min(1),
    }),
  ),
  routes: z.array(
    z.object({
      from: portCode,
      to: portCode,
      vessel: z.string().min(1),
      durationMinutes: z.number().int().positive(),
      weekdays: z.array(z.number().int().min(1).max(7)),
      departureTime: clockTime,
    }),
  ),
  window: z.object({ fromDate: localDate, toDate: localDate }),
});

export const sailingsResponse = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  sailings: z.array(
    sailing.extend({
      availability: z.record(z.enum(resources), count),
      classes: z.array(
        z.object({
          accommodation: z.enum(accommodations),
          unit: z.enum(["place", "cabin"]),
          free: count,
          bookable: z.boolean(),
          price: money,
        }),
      ),
    }),
  ),
});

const priceLine = z
  .object({
    kind: z.enum(["passenger", "vehicle", "pet"]),
    passengerType: z.enum(passengerTypes).optional(),
    vehicleType: z.enum(vehicleTypes).optional(),
    quantity: z.number().int().positive(),
    unitAmount: count,
    amount: count,
  })
  .refine((l) => l.amount === l.unitAmount * l.quantity, "line amount is not quantity × unit amount")
  .refine((l) => l.kind !== "passenger" || l.passengerType !== undefined, "passenger line without a type")
  .refine((l) => l.kind !== "vehicle" || l.vehicleType !== undefined, "vehicle line without a type");

type Priced = { total: z.infer<typeof money>; lines: z.infer<typeof priceLine>[] };
const linesAddUp = (p: Priced) => p.lines.reduce((sum, l) => sum + l.amount, 0) === p.total.amount;

export const quote = z
  .object({
    quoteId: z.string().min(1).max(64),
    sailingId: ref,
    accommodation: z.enum(accommodations),
    total: money,
    lines: z.array(priceLine),
    validUntil: instant,
    available: z.boolean(),
  })
  .refine(linesAddUp, "price lines do not add up to the total");

const cancellation = z.object({
  band: cancelBand,
  percent: z.number().int().min(0).max(100),
  charge: money,
  refund: money,
  by: z.enum(["AGENT", "OPERATOR"]),
  at: instant,
});

const booking = z
  .object({
    operatorReference: z.string().min(1).max(40),
    agentReference: z.string().min(1).max(40),
    status: bookingStatus,
    sailing,
    accommodation: z.enum(accommodations),
    party: z.object({ adults: count, children: count, infants: count }),
    vehicle: z.object({ type: z.enum(vehicleTypes) }).nullable(),
    pets: count,
    total: money,
    lines: z.array(priceLine),
    createdAt: instant,
    expiresAt: instant.nullable(),
    confirmedAt: instant.nullable(),
    cancellation: cancellation.nullable(),
  })
  .refine(linesAddUp, "price lines do not add up to the total")
  .refine(
    (b) => !b.cancellation || refundWithin(b.cancellation.refund, b.total),
    "the cancellation refunds more than the booking's total",
  );

function refundWithin(refund: z.infer<typeof money>, total: z.infer<typeof money>): boolean {
  return refund.currency === total.currency && refund.amount <= total.amount;
}

export const bookingResponse = z.object({ booking });

/** CHARGE_CHANGED's details: the charge as it is now. */
export const chargeDetails = z.object({
  band: cancelBand,
  percent: z.number().int().min(0).max(100),
  charge: money,
  refund: money,
});

export const cancelChargeResponse = z
  .object({
    booking,
    band: cancelBand,
    percent: z.number().int().min(0).max(100),
    charge: money,
    refund: money,
  })
  .refine((c) => refundWithin(c.refund, c.booking.total), "the refund is more than the booking's total");

const changeBase = z.looseObject({
  id: z.string().min(1).max(200),
  cursor: z.string().min(1).max(500),
  occurredAt: instant,
  type: z.string().min(1).max(60),
  from: portCode,
  to: portCode,
  dates: z.array(localDate),
});

const changeDetails = {
  SCHEDULE_CHANGED: z.object({
    sailingId: ref,
    previous: z.object({ departureAt: instant, arrivalAt: instant }),
    current: z.object({ departureAt: instant, arrivalAt: instant }),
  }),
  SAILING_CANCELLED: z.object({ sailingId: ref, reason: z.string().max(500), affectedBookings: count }),
  BOOKING_CANCELLED: z.object({
    sailingId: ref,
    operatorReference: z.string().min(1).max(40),
    agentReference: z.string().min(1).max(40),
    refund: money,
  }),
  FARE_CHANGED: z.object({ sailingId: ref.nullable() }),
};

export const changesResponse = z.object({
  changes: z.array(changeBase),
  nextCursor: z.string().min(1).max(500),
  hasMore: z.boolean(),
});

export const errorBody = z.object({
  error: z.object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{1,49}$/),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

// ---- mapping to the domain ------------------------------------------------------------------------

const date = (iso: string) => new Date(iso);

export function toNetwork(r: z.infer<typeof routesResponse>): OperatorNetwork {
  return {
    operatorCode: r.operator.code,
    operatorName: r.operator.name,
    ports: r.ports.map((p) => ({ ...p })),
    routes: r.routes.map((x) => ({
      from: x.from,
      to: x.to,
      vesselName: x.vessel,
      durationMinutes: x.durationMinutes,
      weekdays: [...x.weekdays],
      departureTime: x.departureTime,
    })),
    window: { ...r.window },
  };
}

export function toSailing(operatorCode: string, s: z.infer<typeof sailing>): ConnectedSailing {
  return {
    operatorCode,
    sailingRef: s.sailingId,
    from: s.from,
    to: s.to,
    localDate: s.departureDate,
    departureAt: date(s.departureAt),
    arrivalAt: date(s.arrivalAt),
    durationMinutes: s.durationMinutes,
    vesselName: s.vessel,
    status: s.status === "CANCELLED" ? "CANCELLED" : "SCHEDULED",
    onSale: s.status === "OPEN",
    departed: s.status === "DEPARTED",
  };
}

export function toOffers(operatorCode: string, r: z.infer<typeof sailingsResponse>): SailingOffer[] {
  return r.sailings.map((s) => ({
    ...toSailing(operatorCode, s),
    free: { ...s.availability },
    classes: s.classes.map((c) => ({
      accommodation: c.accommodation,
      unit: c.unit,
      free: c.free,
      bookable: c.bookable,
      total: { ...c.price },
    })),
  }));
}

function toLines(lines: z.infer<typeof priceLine>[], currency: string): OperatorPriceLine[] {
  return lines.map((l) => ({
    kind: l.kind === "passenger" ? "PASSENGER" : l.kind === "vehicle" ? "VEHICLE" : "PET",
    ...(l.passengerType ? { passengerType: l.passengerType } : {}),
    ...(l.vehicleType ? { vehicleType: l.vehicleType } : {}),
    quantity: l.quantity,
    unitAmount: l.unitAmount,
    amount: l.amount,
    currency,
  }));
}

export function toQuote(q: z.infer<typeof quote>): Quote {
  return {
    quoteId: q.quoteId,
    sailingRef: q.sailingId,
    accommodation: q.accommodation,
    total: { ...q.total },
    lines: toLines(q.lines, q.total.currency),
    validUntil: date(q.validUntil),
    available: q.available,
  };
}

export function toBooking(operatorCode: string, b: z.infer<typeof booking>): OperatorBooking {
  return {
    operatorCode,
    operatorReference: b.operatorReference,
    agentReference: b.agentReference,
    status: b.status,
    sailing: toSailing(operatorCode, b.sailing),
    accommodation: b.accommodation,
    party: { ...b.party },
    vehicle: b.vehicle?.type ?? null,
    pets: b.pets,
    total: { ...b.total },
    lines: toLines(b.lines, b.total.currency),
    createdAt: date(b.createdAt),
    expiresAt: b.expiresAt === null ? null : date(b.expiresAt),
    confirmedAt: b.confirmedAt === null ? null : date(b.confirmedAt),
    cancellation: b.cancellation
      ? {
          band: b.cancellation.band,
          percent: b.cancellation.percent,
          charge: { ...b.cancellation.charge },
          refund: { ...b.cancellation.refund },
          by: b.cancellation.by,
          at: date(b.cancellation.at),
        }
      : null,
  };
}

/** One change of the feed; throws a ZodError when a known type lacks its fields. */
export function toChange(c: z.infer<typeof changeBase>): OperatorChange {
  const base = {
    id: c.id,
    cursor: c.cursor,
    occurredAt: date(c.occurredAt),
    from: c.from,
    to: c.to,
    dates: [...c.dates],
  };
  switch (c.type) {
    case "SCHEDULE_CHANGED": {
      const d = changeDetails.SCHEDULE_CHANGED.parse(c);
      const times = (t: { departureAt: string; arrivalAt: string }) => ({
        departureAt: date(t.departureAt),
        arrivalAt: date(t.arrivalAt),
      });
      return {
        ...base,
        type: "SCHEDULE_CHANGED",
        sailingRef: d.sailingId,
        previous: times(d.previous),
        current: times(d.current),
      };
    }
    case "SAILING_CANCELLED": {
      const d = changeDetails.SAILING_CANCELLED.parse(c);
      return {
        ...base,
        type: "SAILING_CANCELLED",
        sailingRef: d.sailingId,
        reason: d.reason,
        affectedBookings: d.affectedBookings,
      };
    }
    case "BOOKING_CANCELLED": {
      const d = changeDetails.BOOKING_CANCELLED.parse(c);
      return {
        ...base,
        type: "BOOKING_CANCELLED",
        sailingRef: d.sailingId,
        operatorReference: d.operatorReference,
        agentReference: d.agentReference,
        refund: { ...d.refund },
      };
    }
    case "FARE_CHANGED": {
      const d = changeDetails.FARE_CHANGED.parse(c);
      return { ...base, type: "FARE_CHANGED", sailingRef: d.sailingId };
    }
    default:
      return { ...base, type: "OTHER", operatorType: c.type };
  }
}

/** A change pushed on its own (the webhook body is one change object of the feed). */
export function parsePushedChange(raw: unknown): OperatorChange {
  return toChange(changeBase.parse(raw));
}
