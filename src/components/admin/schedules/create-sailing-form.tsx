"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { addDays, todayAt } from "@/shared/dates";
import { useTRPC } from "@/trpc/react";
import { DurationField, FormEnd, PortTimeField, VesselSelect } from "../fields";
import { dateTime } from "../format";
import type { RouteRow, SailingRow, VesselRow } from "../types";
import { Input, Section } from "../ui";
import { departureTime, durationMinutes, showSailingError, vesselId } from "./sailing-schema";
import { fieldOf } from "@/components/admin/form-field";

const createSchema = z.object({
  vesselId,
  departureDate: z.string().min(1, "Choose a date."),
  departureTime,
  durationMinutes: durationMinutes({ optional: true }),
});
type CreateValues = z.infer<typeof createSchema>;

/** One new departure on a route, in the departure port's time. */
export function CreateSailingForm({
  route,
  vessels,
  onCreated,
}: {
  route: RouteRow;
  vessels: VesselRow[];
  onCreated: (s: SailingRow) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const defaultVessel = vessels.find((v) => v.operatorCode === route.operator.code)?.id;
  const form = useForm<CreateValues>({
    resolver: zodResolver(createSchema),
    defaultValues: {
      vesselId: defaultVessel ? String(defaultVessel) : "",
      departureDate: addDays(todayAt(route.from.timeZone), 7),
      departureTime: "21:00",
      durationMinutes: "",
    },
  });
  const create = useMutation(trpc.admin.schedule.create.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  const submit = form.handleSubmit((v) => {
    setError(null);
    create.mutate(
      {
        routeId: route.id,
        vesselId: Number(v.vesselId),
        departureDate: v.departureDate,
        departureTime: v.departureTime,
        durationMinutes: v.durationMinutes ? Number(v.durationMinutes) : undefined,
      },
      {
        onSuccess: (s) => {
          toast.success(`Sailing created: ${dateTime(s.departureAt, s.from.timeZone)}`);
          void qc.invalidateQueries(trpc.admin.schedule.pathFilter());
          onCreated(s);
        },
        onError: (e) => {
          const message = showSailingError(
            e,
            form.setError,
            ["vesselId", "departureDate", "departureTime", "durationMinutes"],
            setError,
          );
          toast.error(`Sailing not created: ${message}`);
        },
      },
    );
  });

  return (
    <Section
      title="New sailing"
      description={`One departure on ${route.from.code} → ${route.to.code}, in ${route.from.name} time.`}
    >
      <form noValidate onSubmit={submit} className="grid gap-3 sm:grid-cols-2">
        <VesselSelect vessels={vessels} route={route} choose {...fieldOf(form, "vesselId")} />
        <Input label="Departure date" type="date" {...fieldOf(form, "departureDate")} />
        <PortTimeField portName={route.from.name} {...fieldOf(form, "departureTime")} />
        <DurationField usual={route.durationMinutes} {...fieldOf(form, "durationMinutes")} />
        <FormEnd error={error} pending={create.isPending} label="Create sailing" pendingLabel="Creating…" />
      </form>
    </Section>
  );
}
