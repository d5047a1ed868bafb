import type { LegDirection } from "@/server/db/schema/bookings";
import type { PassengerType, VehicleType } from "@/server/db/schema/resources";
import { type EffectiveFares, type Party, type QuoteLine, quote } from "@/server/features/pricing/quote";
import { ACCOMMODATION_NAMES } from "@/server/features/search/sailings";
import { AppError } from "@/server/lib/errors";
import type { CreateBookingInput } from "./input";
import type { Need } from "./inventory";

/** One leg as asked for: what it needs from inventory. Its price comes from `priceLegs`. */
export interface LegRequest {
  direction: LegDirection;
  sailingId: number;
  accommodation: CreateBookingInput["outbound"]["accommodation"];
  needs: Need[];
}

export interface LegPlan extends LegRequest {
  lines: QuoteLine[];
}

export interface Priced {
  plans: LegPlan[];
  total: number;
  currency: string;
}

/** Prices every leg from one read of the fares; throws when a class is not sold or the currencies differ. */
export function priceLegs(
  fares: Map<number, EffectiveFares>,
  legs: LegRequest[],
  party: Party,
  extras: { vehicleType?: VehicleType; pets: number },
): Priced {
  const plans = legs.map((l) => {
    const f = fares.get(l.sailingId);
    const q = f ? quote(f, party, l.accommodation, extras) : null;
    if (!q) {
      throw new AppError(
        "BAD_REQUEST",
        `${ACCOMMODATION_NAMES[l.accommodation]} is not sold on this sailing. Choose another class.`,
        { field: l.direction === "OUTBOUND" ? "outbound" : "return" },
      );
    }
    return { ...l, lines: q.lines };
  });
  const currencies = new Set(legs.map((l) => fares.get(l.sailingId)?.currency));
  if (currencies.size !== 1)
    throw new AppError("BAD_REQUEST", "Both legs must be priced in the same currency.");
  const total = plans.reduce((s, p) => s + p.lines.reduce((a, l) => a + l.amount, 0), 0);
  return { plans, total, currency: [...currencies][0] as string };
}

export const PASSENGER_WORDS: Record<PassengerType, string> = {
  adult: "Adult",
  child: "Child (4–11)",
  infant: "Infant (0–3)",
};

/** What the line charges for, as codes: pages and emails label it from these in their own language. */
export function lineCodes(l: QuoteLine, accommodation: keyof typeof ACCOMMODATION_NAMES) {
  if (l.kind === "passenger")
    return { kind: "PASSENGER" as const, passengerType: l.passengerType!, accommodation };
  if (l.kind === "vehicle") return { kind: "VEHICLE" as const, vehicleType: l.vehicleType! };
  return { kind: "PET" as const };
}

/** The English label kept in `description` (Stripe line items, API clients). */
export function lineDescription(l: QuoteLine, accommodation: keyof typeof ACCOMMODATION_NAMES): string {
  if (l.kind === "passenger")
    return `${PASSENGER_WORDS[l.passengerType!]} · ${ACCOMMODATION_NAMES[accommodation]}`;
  if (l.kind === "vehicle") return `Vehicle · ${l.vehicleType!.replace("_", " ")}`;
  return "Pet (kennel)";
}
