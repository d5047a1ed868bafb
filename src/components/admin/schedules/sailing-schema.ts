import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { z } from "zod";
import { applyFieldErrors, readAppError } from "@/trpc/errors";

/** The rules the sailing forms share (create, timetable, move), checked before anything is sent. */

export const departureTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time written like 21:30.");

export const vesselId = z.string().min(1, "Choose a vessel.");

/** Whole minutes of crossing; `optional`: empty means the route's usual time. */
export function durationMinutes(opts: { optional: boolean }) {
  const ok = (v: string) => /^\d+$/.test(v) && Number(v) >= 15 && Number(v) <= 72 * 60;
  return opts.optional
    ? z
        .string()
        .trim()
        .refine((v) => v === "" || ok(v), {
          message: "Give whole minutes between 15 and 4320, or leave empty for the route's usual time.",
        })
    : z.string().trim().refine(ok, "Give whole minutes between 15 and 4320.");
}

/**
 * Shows why the server refused a sailing form: a sailing already at that time goes on the time field, field
 * errors next to their fields, anything else in the form's own notice (`showGeneral`). Returns the server's
 * sentence for the toast.
 */
export function showSailingError<T extends FieldValues & { departureTime: string }>(
  e: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  showGeneral: (message: string) => void,
): string {
  const p = readAppError(e);
  if (p.reason === "SAILING_EXISTS") setError("departureTime" as Path<T>, { message: p.message });
  else if (!applyFieldErrors(e, setError, fields)) showGeneral(p.message);
  return p.message;
}
