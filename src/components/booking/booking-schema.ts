import { z } from "zod";

/**
 * The booking form's rules, mirroring the server's (server/features/booking/input.ts and create.ts) so the
 * traveller learns about a mistake next to the field, in their language, before anything is held. The server
 * still decides: its field errors are shown in the same places.
 */

export type PassengerType = "adult" | "child" | "infant";

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

const NAME_RE = /^[\p{L}\p{M}' .-]+$/u;
const DOCUMENT_RE = /^[A-Z0-9]{5,20}$/;
const REGISTRATION_RE = /^[A-Z0-9][A-Z0-9 -]{1,13}$/;
const PHONE_RE = /^\+?[0-9 ()-]{6,20}$/;
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Passport numbers are often written with spaces; the server wants letters and digits only. */
export const normaliseDocument = (v: string) => v.replace(/[\s-]/g, "").toUpperCase();
export const normaliseRegistration = (v: string) => v.trim().toUpperCase();

function isIsoDate(s: string): boolean {
  if (!ISO_DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Whole years between a birth date and a day, both YYYY-MM-DD (same rule as the server). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = on.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

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
    z
      .string()
      .trim()
      .min(1, msg(`${field}Required`))
      .max(60, msg("nameTooLong"))
      .regex(NAME_RE, msg("nameChars"));

  const passenger = z
    .object({
      type: z.enum(["adult", "child", "infant"]),
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
          if (p.type === "child" && (age < 4 || age > 11))
            add("dateOfBirth", msg("childAge", { age, date: o.departureLabel }));
          if (p.type === "infant" && age >= 4)
            add("dateOfBirth", msg("infantAge", { age, date: o.departureLabel }));
        }
      }
      if (o.international) {
        if (!/^[A-Z]{2}$/.test(p.nationality)) add("nationality", msg("nationalityRequired"));
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
            if (Number.isNaN(h) || h < 50 || h > 500) add("heightCm", msg("heightRange"));
            else if (h > v.maxHeightCm)
              add(
                "heightCm",
                msg("tooHigh", { type: v.label, max: o.metres(v.maxHeightCm), value: o.metres(h) }),
              );
          }
          const l = centimetres(x.lengthCm);
          if (l !== undefined) {
            if (Number.isNaN(l) || l < 100 || l > 2000) add("lengthCm", msg("lengthRange"));
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
        .pipe(z.email(msg("emailInvalid")).max(254)),
      phone: z
        .string()
        .trim()
        .refine((s) => !s || PHONE_RE.test(s), msg("phoneFormat")),
    }),
  });
}
