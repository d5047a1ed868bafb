import { normaliseRegistration } from "@/shared/validation";
import type { BookingPageData } from "../booking-types";
import { isolate, type Step } from "./steps";
import type { BookingFlowState } from "./use-booking-flow";

type T = (key: string, values?: Record<string, string | number>) => string;

/** The one line a finished step shows under its heading. */
export function stepSummary(s: Step, data: BookingPageData, flow: BookingFlowState, t: T): string {
  const v = flow.form.getValues();
  switch (s) {
    case "trip":
      return data.legs.map((l) => `${l.dep.date} ${l.dep.time} · ${l.accommodationLabel}`).join(" / ");
    case "passengers":
      return v.passengers.map((p) => `${p.firstName} ${p.lastName}`.trim()).join(", ");
    case "vehicle":
      return [
        flow.vehicleClass
          ? `${flow.vehicleClass.label} ${isolate(normaliseRegistration(v.vehicle.registration))}`
          : t("vehicle.none"),
        data.request.pets ? t("vehicle.petsCount", { count: data.request.pets }) : "",
      ]
        .filter(Boolean)
        .join(" · ");
    case "contact":
      return isolate(v.contact.email);
    default:
      return "";
  }
}
