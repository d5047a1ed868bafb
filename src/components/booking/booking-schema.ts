import { z } from "zod";
import { type PassengerType, passengerTypes } from "@/shared/constants";
import { ageOn, isIsoDate } from "@/shared/dates";
import {
  COUNTRY_RE,
  DOCUMENT_RE,
  emailAddress,
  fitsPassengerType,
  normaliseDocument,
  normaliseRegistration,
  PHONE_RE,
  personName,
  REGISTRATION_RE,
  VEHICLE_HEIGHT_CM,
  VEHICLE_LENGTH_CM,
} from "@/shared/validation";

/**
 * The booking form's rules: the server's own (`src/shared/validation.ts`) with the traveller's messages, so a
 * mistake is shown next to the field, in their language, before anything is held. The server still decides:
 * its field errors are shown in the same places.
 */

export interface PassengerValues {
  type: PassengerType;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  nationality: string;
  documentNumber: string;
}

export interface BookingFormValues {
  passengers: PassengerValues[];
  vehicle: { registration: string; heightCm: string; lengthCm: string };
  contact: { email: string; phone: string };
}

export interface VehicleLimits {
  type: string;
  maxHeightCm: number;
  maxLengthCm: number;
}

type Msg = (key: string, values?: Record<string, string | number>) => string;

/** A whole number of centimetres, or undefined when left empty; NaN when it is not a number. */
export function centimetres(v: string): number | undefined {
  const s = v.trim();
  if (!s) return undefined;
  return /^\d{1,4}$/.test(s) ? Number(s) : Number.NaN;
}

export function bookingSchema(o: {
  msg: Msg;
  /** The outbound sailing's local departure date: ages are counted on that day. */
  departureDate: string;
  departureLabel: string;
  international: boolean;
  vehicle: (VehicleLimits & { label: string }) | null;
  metres: (cm: number) => string;
}) {
  const { msg } = o;
  const name = (field: "firstName" | "lastName") =>
    personName({ required: msg(`${field}Required`), tooLong: msg("nameTooLong"), chars: msg("nameChars") });

  const passenger = z
    .object({
      type: z.enum(passengerTypes),
      firstName: name("firstName"),
      lastName: name("lastName"),
      dateOfBirth: z.string(),
      nationality: z.string(),
      documentNumber: z.string(),
    })
    .superRefine((p, ctx) => {
      const add = (path: keyof PassengerValues, message: string) =>
        ctx.addIssue({ code: "custom", path: [path], message });
      if (p.type !== "adult") {
        if (!p.dateOfBirth) add("dateOfBirth", msg("dobRequired"));
        else if (!isIsoDate(p.dateOfBirth)) add("dateOfBirth", msg("dobInvalid"));
        else if (p.dateOfBirth > o.departureDate)
          add("dateOfBirth", msg("dobAfterDeparture", { date: o.departureLabel }));
        else {
          const age = ageOn(p.dateOfBirth, o.departureDate);
          if (!fitsPassengerType(p.type, age))
            add(
              "dateOfBirth",
              msg(p.type === "child" ? "childAge" : "infantAge", { age, date: o.departureLabel }),
            );
        }
      }
      if (o.international) {
        if (!COUNTRY_RE.test(p.nationality)) add("nationality", msg("nationalityRequired"));
        const doc = normaliseDocument(p.documentNumber);
        if (!doc) add("documentNumber", msg("documentRequired"));
        else if (!DOCUMENT_RE.test(doc)) add("documentNumber", msg("documentFormat"));
      }
    });

  const v = o.vehicle;
  const vehicle = v
    ? z
        .object({ registration: z.string(), heightCm: z.string(), lengthCm: z.string() })
        .superRefine((x, ctx) => {
          const add = (path: string, message: string) =>
            ctx.addIssue({ code: "custom", path: [path], message });
          const reg = normaliseRegistration(x.registration);
          if (!reg) add("registration", msg("registrationRequired"));
          else if (!REGISTRATION_RE.test(reg)) add("registration", msg("registrationFormat"));
          const h = centimetres(x.heightCm);
          if (h !== undefined) {
            if (Number.isNaN(h) || h < VEHICLE_HEIGHT_CM.min || h > VEHICLE_HEIGHT_CM.max)
              add("heightCm", msg("heightRange"));
            else if (h > v.maxHeightCm)
              add(
                "heightCm",
                msg("tooHigh", { type: v.label, max: o.metres(v.maxHeightCm), value: o.metres(h) }),
              );
          }
          const l = centimetres(x.lengthCm);
          if (l !== undefined) {
            if (Number.isNaN(l) || l < VEHICLE_LENGTH_CM.min || l > VEHICLE_LENGTH_CM.max)
              add("lengthCm", msg("lengthRange"));
            else if (l > v.maxLengthCm)
              add(
                "lengthCm",
                msg("tooLong", { type: v.label, max: o.metres(v.maxLengthCm), value: o.metres(l) }),
              );
          }
        })
    : z.object({ registration: z.string(), heightCm: z.string(), lengthCm: z.string() });

  return z.object({
    passengers: z.array(passenger),
    vehicle,
    contact: z.object({
      email: z
        .string()
        .trim()
        .min(1, msg("emailRequired"))
        .pipe(emailAddress(msg("emailInvalid"))),
      phone: z
        .string()
        .trim()
        .refine((s) => !s || PHONE_RE.test(s), msg("phoneFormat")),
    }),
  });
}
