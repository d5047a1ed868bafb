import type { FieldPath } from "react-hook-form";
import type { PassengerType } from "@/shared/constants";
import type { BookingFormValues } from "../booking-schema";
import type { BookingPageData } from "../booking-types";

/** The booking's steps, in order: each is checked before the next opens. */
export const STEPS = ["trip", "passengers", "vehicle", "contact", "review"] as const;
export type Step = (typeof STEPS)[number];

/** The form fields each step validates when the traveller presses Continue. */
export const STEP_FIELDS: Record<Step, FieldPath<BookingFormValues>[]> = {
  trip: [],
  passengers: ["passengers"],
  vehicle: ["vehicle"],
  contact: ["contact"],
  review: [],
};

/** Reasons that mean the chosen sailing cannot be booked at all: the traveller must search again. */
export const UNAVAILABLE = new Set(["SOLD_OUT", "SAILING_CANCELLED", "SALES_CLOSED"]);

/** Keeps a left-to-right value (plate, email) in one piece inside Arabic text. */
export const isolate = (s: string) => `\u2066${s}\u2069`;

/** How many messages a react-hook-form error tree holds. */
export function countErrors(e: unknown): number {
  if (!e || typeof e !== "object") return 0;
  if ("message" in e && typeof (e as { message: unknown }).message === "string") return 1;
  return Object.values(e).reduce((n: number, v) => n + countErrors(v), 0);
}

/** The step where a field (or a server error's path) is edited. */
export function stepOf(path: string): Step {
  if (path.startsWith("passengers")) return "passengers";
  if (path.startsWith("vehicle") || path === "pets") return "vehicle";
  if (path.startsWith("contact")) return "contact";
  return "review";
}

export function partyTypes(r: BookingPageData["request"]): PassengerType[] {
  return [
    ...Array<PassengerType>(r.adults).fill("adult"),
    ...Array<PassengerType>(r.children).fill("child"),
    ...Array<PassengerType>(r.infants).fill("infant"),
  ];
}
