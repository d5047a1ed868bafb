import { z } from "zod";
import { resources } from "@/server/db/schema/resources";
import { isoDate } from "@/server/lib/inputs";
import { addDays } from "@/shared/dates";

/** What admins send to the schedule procedures (admin.schedule): sailings, timetables, capacities. */

export const localTime = z
  .string({ error: "Give a time." })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time written like 21:30.");
const id = (what: string) =>
  z
    .number({ error: `Choose a ${what}.` })
    .int()
    .positive();
const durationMinutes = z
  .number()
  .int("The crossing time must be whole minutes.")
  .min(15, "A crossing takes at least 15 minutes.")
  .max(72 * 60, "A crossing cannot take more than 72 hours.");
/** A bounded range keeps one admin table request from scanning years of sailings. */
const MAX_RANGE_DAYS = 92;
const MAX_TIMETABLE_DAYS = 400;

/** A fromDate–toDate range's rules: the end is not before the start, and the range is at most `maxDays`. */
function withDateRange<S extends z.ZodType<{ fromDate: string; toDate: string }>>(
  schema: S,
  maxDays: number,
  tooLong: string,
) {
  return schema
    .refine((i) => i.toDate >= i.fromDate, {
      message: "The end date is before the start date.",
      path: ["toDate"],
    })
    .refine((i) => i.toDate <= addDays(i.fromDate, maxDays), { message: tooLong, path: ["toDate"] });
}

export const listSailingsInput = withDateRange(
  z.object({
    routeId: id("route"),
    /** Inclusive local dates at the departure port. */
    fromDate: isoDate,
    toDate: isoDate,
    status: z.enum(["SCHEDULED", "CANCELLED"]).optional(),
  }),
  MAX_RANGE_DAYS,
  `Show at most ${MAX_RANGE_DAYS} days at a time.`,
);

export const weekViewInput = z.object({
  /** Any date in the wanted week; the week runs Monday to Sunday in each departure port's calendar. */
  date: isoDate,
  /** Omit for every route. */
  routeId: id("route").optional(),
});

export const createSailingInput = z.object({
  routeId: id("route"),
  vesselId: id("vessel"),
  /** Local date and time at the departure port. */
  departureDate: isoDate,
  departureTime: localTime,
  /** Defaults to the route's typical crossing time. */
  durationMinutes: durationMinutes.optional(),
});

export const timetableInput = withDateRange(
  z.object({
    routeId: id("route"),
    vesselId: id("vessel"),
    weekdays: z
      .array(z.number().int().min(1, "Weekdays run 1 (Monday) to 7 (Sunday).").max(7, "Weekdays run 1 to 7."))
      .min(1, "Choose at least one weekday.")
      .max(7),
    departureTime: localTime,
    fromDate: isoDate,
    toDate: isoDate,
    durationMinutes: durationMinutes.optional(),
  }),
  MAX_TIMETABLE_DAYS,
  `Generate at most ${MAX_TIMETABLE_DAYS} days at a time.`,
);

export const updateSailingInput = z
  .object({
    sailingId: id("sailing"),
    /** New local departure date/time at the departure port; give both or neither. */
    departureDate: isoDate.optional(),
    departureTime: localTime.optional(),
    /** New crossing time; when the departure moves without it, the current crossing time is kept. */
    durationMinutes: durationMinutes.optional(),
    vesselId: id("vessel").optional(),
    /** Email travellers with confirmed bookings when the times change (default true). */
    notify: z.boolean().default(true),
    /** Shown to travellers in the notice. */
    message: z.string().trim().max(1000).optional(),
  })
  .refine((i) => (i.departureDate === undefined) === (i.departureTime === undefined), {
    message: "Give both the new departure date and time.",
    path: ["departureTime"],
  })
  .refine(
    (i) => i.departureDate !== undefined || i.durationMinutes !== undefined || i.vesselId !== undefined,
    { message: "Nothing to change: give new times or a vessel.", path: ["sailingId"] },
  );

export const setCapacityInput = z.object({
  sailingId: id("sailing"),
  capacities: z
    .array(
      z.object({
        resource: z.enum(resources, { error: `Resource must be one of: ${resources.join(", ")}.` }),
        capacity: z
          .number()
          .int("Capacity must be a whole number.")
          .min(0, "Capacity cannot be negative.")
          .max(100_000, "That capacity is not plausible for a ferry."),
      }),
    )
    .min(1, "Give at least one capacity.")
    .refine(
      (a) => new Set(a.map((c) => c.resource)).size === a.length,
      "Each resource may appear only once.",
    ),
});

export const cancelSailingInput = z.object({
  sailingId: id("sailing"),
  /** Shown to travellers in the cancellation notice. */
  message: z.string().trim().max(1000).optional(),
});
