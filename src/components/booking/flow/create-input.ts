import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { Accommodation } from "@/shared/constants";
import { parseLegParam } from "@/shared/sailing-id";
import { normaliseDocument, normaliseRegistration } from "@/shared/validation";
import { type BookingFormValues, centimetres } from "../booking-schema";
import type { BookingPageData, VehicleClassView } from "../booking-types";

type CreateBookingInput = inferRouterInputs<AppRouter>["booking"]["create"];

/** The form's values as `booking.create` takes them: trimmed, normalised, optional parts left out. */
export function createInput(
  v: BookingFormValues,
  data: BookingPageData,
  vehicleClass: VehicleClassView | null,
  locale: string,
): CreateBookingInput {
  // The page only renders for links `parseBookingRequest` accepted, so both legs parse.
  const out = parseLegParam(data.request.out)!;
  const ret = data.request.ret ? parseLegParam(data.request.ret)! : null;
  return {
    outbound: { sailingId: out.sailingId, accommodation: out.accommodation as Accommodation },
    return: ret ? { sailingId: ret.sailingId, accommodation: ret.accommodation as Accommodation } : undefined,
    passengers: v.passengers.map((p) => ({
      type: p.type,
      firstName: p.firstName.trim(),
      lastName: p.lastName.trim(),
      dateOfBirth: p.type === "adult" || !p.dateOfBirth ? undefined : p.dateOfBirth,
      nationality: p.nationality || undefined,
      documentNumber: normaliseDocument(p.documentNumber) || undefined,
    })),
    vehicle: vehicleClass
      ? {
          type: vehicleClass.type,
          registration: normaliseRegistration(v.vehicle.registration),
          heightCm: centimetres(v.vehicle.heightCm),
          lengthCm: centimetres(v.vehicle.lengthCm),
        }
      : undefined,
    pets: data.request.pets,
    contact: { email: v.contact.email.trim(), phone: v.contact.phone.trim() || undefined },
    locale: locale as CreateBookingInput["locale"],
  };
}
