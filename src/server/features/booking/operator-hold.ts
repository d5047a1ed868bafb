import type { DbOrTx } from "@/server/db/client";
import type { LegDirection, PriceLineKind } from "@/server/db/schema/bookings";
import type { Accommodation, PassengerType, VehicleType } from "@/server/db/schema/resources";
import {
  agentReferenceFor,
  type ConnectedSailing,
  type OperatorPriceLine,
} from "@/server/features/operators/connector";
import { applyMarkup } from "@/server/features/operators/markup";
import { isOperatorError, type OperatorError } from "@/server/features/operators/operator-error";
import { ACCOMMODATION_NAMES } from "@/server/features/search/sailings";
import { AppError } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import type { Services } from "@/server/services";
import { type CreateBookingInput, passengerDetails } from "./input";
import { PASSENGER_WORDS } from "./price-legs";

/**
 * The connected legs of `createBooking`: a fresh GetPrice (never the search cache), then a provisional
 * Book at the operator under our agent reference (`agentReferenceFor(reference, direction)`), within the
 * operator's timeout. Nothing of ours is written here; the caller records the legs in its transaction,
 * or calls `releaseOperatorHolds` when anything else fails, so a trip is all or nothing.
 */

export interface ConnectedLegRequest {
  direction: LegDirection;
  operator: string;
  operatorSailingId: string;
  accommodation: CreateBookingInput["outbound"]["accommodation"];
}

export interface PriceLineRow {
  kind: PriceLineKind;
  passengerType?: PassengerType | null;
  accommodation?: Accommodation | null;
  vehicleType?: VehicleType | null;
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
}

export interface HeldConnectedLeg extends ConnectedLegRequest {
  agentReference: string;
  operatorReference: string;
  sailing: ConnectedSailing;
  /** When the operator lets the provisional booking lapse. */
  expiresAt: Date | null;
  /** The operator's lines at its fares, plus Traverse's service fee (the markup, applied to the total). */
  lines: PriceLineRow[];
  total: number;
  currency: string;
}

export type HoldOutcome =
  | { ok: true; leg: HeldConnectedLeg }
  | { ok: false; leg: ConnectedLegRequest; agentReference: string; error: unknown; mayExist: boolean };

function lineText(l: OperatorPriceLine, accommodation: ConnectedLegRequest["accommodation"]): string {
  if (l.kind === "PASSENGER")
    return `${PASSENGER_WORDS[l.passengerType ?? "adult"]} · ${ACCOMMODATION_NAMES[accommodation]}`;
  if (l.kind === "VEHICLE") return `Vehicle · ${(l.vehicleType ?? "vehicle").replace("_", " ")}`;
  return "Pet (kennel)";
}

/** The line's kind and codes, as own lines carry them (pages and emails label lines from these). */
function lineCodes(
  l: OperatorPriceLine,
  accommodation: ConnectedLegRequest["accommodation"],
): Pick<PriceLineRow, "kind" | "passengerType" | "accommodation" | "vehicleType"> {
  if (l.kind === "PASSENGER")
    return { kind: "PASSENGER", passengerType: l.passengerType ?? "adult", accommodation };
  if (l.kind === "VEHICLE" && l.vehicleType) return { kind: "VEHICLE", vehicleType: l.vehicleType };
  if (l.kind === "VEHICLE") return { kind: "FEE" };
  return { kind: "PET" };
}

/** Prices and holds one connected leg; never throws: the outcome says whether a booking may exist there. */
export async function holdConnectedLeg(
  svc: Services,
  leg: ConnectedLegRequest,
  reference: string,
  input: CreateBookingInput,
): Promise<HoldOutcome> {
  const agentReference = agentReferenceFor(reference, leg.direction);
  const directory = await svc.operators();
  const connector = directory.get(leg.operator);
  const entry = directory.entry(leg.operator);
  if (!connector || !entry) {
    const error = new AppError(
      "OPERATOR_UNAVAILABLE",
      "This ferry company cannot be booked right now. Choose another sailing.",
      {},
    );
    return { ok: false, leg, agentReference, error, mayExist: false };
  }
  const count = (type: string) => input.passengers.filter((p) => p.type === type).length;
  let holdSent = false;
  try {
    const quote = await connector.price({
      sailingRef: leg.operatorSailingId,
      accommodation: leg.accommodation,
      party: {
        adults: count("adult"),
        children: count("child"),
        infants: count("infant"),
        vehicle: input.vehicle?.type ?? null,
        pets: input.pets,
      },
    });
    holdSent = true;
    const booking = await connector.hold({
      agentReference,
      sailingRef: leg.operatorSailingId,
      accommodation: leg.accommodation,
      passengers: input.passengers.map(passengerDetails),
      vehicle: input.vehicle ?? null,
      pets: input.pets,
      quoteId: quote.quoteId,
      expectedTotal: quote.total,
    });
    const raw = booking.total.amount;
    const total = applyMarkup(raw, entry.markupBps);
    const lines: PriceLineRow[] = booking.lines.map((l) => ({
      ...lineCodes(l, leg.accommodation),
      description: lineText(l, leg.accommodation),
      quantity: l.quantity,
      unitAmount: l.unitAmount,
      amount: l.amount,
    }));
    if (total > raw) {
      lines.push({
        kind: "FEE",
        description: "Booking service fee",
        quantity: 1,
        unitAmount: total - raw,
        amount: total - raw,
      });
    }
    return {
      ok: true,
      leg: {
        ...leg,
        agentReference,
        operatorReference: booking.operatorReference,
        sailing: booking.sailing,
        expiresAt: booking.expiresAt,
        lines,
        total,
        currency: booking.total.currency,
      },
    };
  } catch (error) {
    // A Book that timed out or failed on the wire may have taken effect at the operator.
    const mayExist = holdSent && (!isOperatorError(error) || error.transient);
    return { ok: false, leg, agentReference, error, mayExist };
  }
}

/** What the traveller reads when an operator refused or did not answer. */
export function holdFailure(outcome: Extract<HoldOutcome, { ok: false }>): AppError {
  const e = outcome.error;
  if (e instanceof AppError) return e;
  const field = outcome.leg.direction === "OUTBOUND" ? "outbound" : "return";
  if (!isOperatorError(e)) {
    return new AppError(
      "OPERATOR_UNAVAILABLE",
      "The ferry company's booking system did not answer. Try again in a moment.",
      { field },
    );
  }
  return refusalToAppError(e, field);
}

function refusalToAppError(e: OperatorError, field: string): AppError {
  if (e.kind !== "refused") {
    return new AppError(
      "OPERATOR_UNAVAILABLE",
      "The ferry company's booking system is not answering right now. Nothing was booked: try again in a moment.",
      { field },
    );
  }
  switch (e.code) {
    case "SOLD_OUT":
      return new AppError(
        "SOLD_OUT",
        "Not enough places left on this sailing for your party. Choose another class or sailing.",
        { field },
      );
    case "SAILING_CANCELLED":
      return new AppError("SAILING_CANCELLED", "This sailing has been cancelled. Choose another sailing.", {
        field,
      });
    case "SAILING_DEPARTED":
    case "SALES_CLOSED":
      return new AppError("SALES_CLOSED", "This sailing is no longer on sale. Choose a later one.", {
        field,
      });
    case "PRICE_CHANGED":
    case "QUOTE_MISMATCH":
      return new AppError(
        "PRICE_CHANGED",
        "The price of this sailing has just changed. Search again to see it.",
        { field },
      );
    case "VALIDATION_ERROR":
      // Only the paths of the refused fields, never their values.
      return new AppError(
        "OPERATOR_VALIDATION",
        "The ferry company did not accept these passenger or vehicle details. Check names (letters only), dates of birth and document numbers.",
        { field, fields: e.fields ?? [] },
      );
    case "SAILING_NOT_FOUND":
      return new AppError("NOT_FOUND", `The ${field} sailing does not exist. Search again.`, { field });
    case "VEHICLE_TOO_LARGE":
      return new AppError(
        "VEHICLE_CLASS",
        "The ferry company does not take a vehicle of this size in this class.",
        {
          field: "vehicle",
        },
      );
    default:
      return new AppError(
        "OPERATOR_REFUSED",
        "The ferry company refused this booking. Choose another sailing.",
        { field },
      );
  }
}

/**
 * Schedules the release of operator bookings made under these agent references that no booking of ours
 * will own. A job, because the operator may be the reason we are here (down, slow), and because a Book
 * that timed out may still land after we gave up: the job recalls, and retries for a while (see
 * `releaseOperatorHold`).
 */
export async function releaseOperatorHolds(
  db: DbOrTx,
  holds: { operator: string; agentReference: string }[],
): Promise<void> {
  for (const h of holds) {
    await enqueue(
      db,
      "release_operator_hold",
      { operator: h.operator, agentReference: h.agentReference },
      { jobKey: `release-operator:${h.agentReference}`, maxAttempts: 8 },
    );
  }
}
