"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { DurationField, FormEnd, PortTimeField, VesselSelect } from "../fields";
import type { RouteRow, SailingRow, VesselRow } from "../types";
import { Input, Textarea } from "../ui";
import { departureTime, durationMinutes, showSailingError, vesselId } from "./sailing-schema";
import { FormCard } from "../form-card";
import { fieldOf } from "@/components/admin/form-field";

const updateSchema = z.object({
  departureDate: z.string().min(1, "Choose a date."),
  departureTime,
  durationMinutes: durationMinutes({ optional: false }),
  vesselId,
  notify: z.boolean(),
  message: z.string().max(1000, "Keep the message under 1000 characters."),
});
type UpdateValues = z.infer<typeof updateSchema>;

/** Moves a sailing (new date, time or crossing time) or gives it another vessel; travellers may be emailed. */
export function UpdateSailingForm({
  sailing,
  route,
  vessels,
  disabled,
  onChanged,
}: {
  sailing: SailingRow;
  route: RouteRow;
  vessels: VesselRow[];
  disabled: boolean;
  onChanged: (s: SailingRow) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const duration = Math.round((sailing.arrivalAt.getTime() - sailing.departureAt.getTime()) / 60_000);
  const initial: UpdateValues = {
    departureDate: sailing.departureLocal.date,
    departureTime: sailing.departureLocal.time,
    durationMinutes: String(duration),
    vesselId: String(sailing.vessel.id),
    notify: true,
    message: "",
  };
  const form = useForm<UpdateValues>({ resolver: zodResolver(updateSchema), defaultValues: initial });
  const update = useMutation(trpc.admin.schedule.update.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  const submit = form.handleSubmit((v) => {
    setError(null);
    const moved = v.departureDate !== initial.departureDate || v.departureTime !== initial.departureTime;
    const durationChanged = Number(v.durationMinutes) !== duration;
    const vesselChanged = Number(v.vesselId) !== sailing.vessel.id;
    if (!moved && !durationChanged && !vesselChanged) {
      setError("Nothing to change: give new times or another vessel.");
      return;
    }
    const input = {
      sailingId: sailing.id,
      ...(moved ? { departureDate: v.departureDate, departureTime: v.departureTime } : {}),
      ...(durationChanged ? { durationMinutes: Number(v.durationMinutes) } : {}),
      ...(vesselChanged ? { vesselId: Number(v.vesselId) } : {}),
      notify: v.notify,
      message: v.message.trim() || undefined,
    };
    update.mutate(input, {
      onSuccess: (r) => {
        toast.success(
          `Sailing ${sailing.id} updated${r.notified ? `; ${r.notified} booking${r.notified === 1 ? "" : "s"} notified by email` : ""}.`,
        );
        void qc.invalidateQueries(trpc.admin.schedule.pathFilter());
        form.reset({
          departureDate: r.sailing.departureLocal.date,
          departureTime: r.sailing.departureLocal.time,
          durationMinutes: String(
            Math.round((r.sailing.arrivalAt.getTime() - r.sailing.departureAt.getTime()) / 60_000),
          ),
          vesselId: String(r.sailing.vessel.id),
          notify: true,
          message: "",
        });
        onChanged(r.sailing);
      },
      onError: (e) => {
        const message = showSailingError(
          e,
          form.setError,
          ["departureDate", "departureTime", "durationMinutes", "vesselId", "message"],
          setError,
        );
        toast.error(`Sailing not updated: ${message}`);
      },
    });
  });

  return (
    <FormCard id="update-title" title="Change times or vessel" onSubmit={submit}>
      <fieldset disabled={disabled} className="grid gap-3 sm:grid-cols-2">
        <Input label="Departure date" type="date" {...fieldOf(form, "departureDate")} />
        <PortTimeField portName={route.from.name} {...fieldOf(form, "departureTime")} />
        <DurationField {...fieldOf(form, "durationMinutes")} />
        <VesselSelect vessels={vessels} route={route} {...fieldOf(form, "vesselId")} />
        <label className="flex items-center gap-2 text-sm sm:col-span-2">
          <input type="checkbox" {...form.register("notify")} />
          Email travellers with confirmed bookings when the times change
        </label>
        <Textarea
          className="sm:col-span-2"
          label="Message to travellers (optional)"
          {...fieldOf(form, "message")}
        />
        <p className="text-xs text-slate-600 sm:col-span-2">
          A new vessel keeps the current capacities; adjust them alongside if it is smaller or larger.
        </p>
        <FormEnd error={error} pending={update.isPending} label="Save changes" pendingLabel="Saving…" />
      </fieldset>
    </FormCard>
  );
}
