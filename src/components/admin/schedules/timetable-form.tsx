"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useId, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { addDays, todayAt } from "@/shared/dates";
import { errorMessage } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { DataTable } from "../data-table";
import { DurationField, PortTimeField, VesselSelect } from "../fields";
import { dateTime } from "../format";
import type { RouteRow, VesselRow } from "../types";
import { Alert, Badge, btnPrimary, btnSecondary, Input, Section } from "../ui";
import { departureTime, durationMinutes, vesselId } from "./sailing-schema";
import { fieldOf } from "@/components/admin/form-field";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

const timetableSchema = z
  .object({
    vesselId,
    weekdays: z.array(z.string()).min(1, "Choose at least one weekday."),
    departureTime,
    fromDate: z.string().min(1, "Choose the first date."),
    toDate: z.string().min(1, "Choose the last date."),
    durationMinutes: durationMinutes({ optional: true }),
  })
  .refine((v) => !v.fromDate || !v.toDate || v.toDate >= v.fromDate, {
    message: "The end date is before the start date.",
    path: ["toDate"],
  })
  .refine((v) => !v.fromDate || !v.toDate || v.toDate <= addDays(v.fromDate, 400), {
    message: "Generate at most 400 days at a time.",
    path: ["toDate"],
  });
type TimetableValues = z.infer<typeof timetableSchema>;

type Plan = {
  routeId: number;
  vesselId: number;
  weekdays: number[];
  departureTime: string;
  fromDate: string;
  toDate: string;
  durationMinutes?: number;
};
type Planned = { departureAt: Date; arrivalAt: Date; exists: boolean };

/** A weekly pattern over a date range: preview what it would create (new vs already there), then save. */
export function TimetableForm({ route, vessels }: { route: RouteRow; vessels: VesselRow[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const weekdaysId = useId();
  const defaultVessel = vessels.find((v) => v.operatorCode === route.operator.code)?.id;
  const today = todayAt(route.from.timeZone);
  const form = useForm<TimetableValues>({
    resolver: zodResolver(timetableSchema),
    defaultValues: {
      vesselId: defaultVessel ? String(defaultVessel) : "",
      weekdays: [],
      departureTime: "21:00",
      fromDate: addDays(today, 1),
      toDate: addDays(today, 28),
      durationMinutes: "",
    },
  });
  const [plan, setPlan] = useState<Plan | null>(null);
  const preview = useQuery({
    ...trpc.admin.schedule.previewTimetable.queryOptions(plan ?? { ...emptyPlan, routeId: route.id }),
    enabled: plan !== null,
    staleTime: 0,
  });
  const generate = useMutation(trpc.admin.schedule.generateTimetable.mutationOptions());
  const { errors } = form.formState;

  // Any edit after a preview makes it stale: hide it until previewed again.
  useEffect(() => {
    const sub = form.watch(() => setPlan(null));
    return () => sub.unsubscribe();
  }, [form]);

  const onPreview = form.handleSubmit((v) =>
    setPlan({
      routeId: route.id,
      vesselId: Number(v.vesselId),
      weekdays: v.weekdays.map(Number).sort(),
      departureTime: v.departureTime,
      fromDate: v.fromDate,
      toDate: v.toDate,
      durationMinutes: v.durationMinutes ? Number(v.durationMinutes) : undefined,
    }),
  );

  const columns: ColumnDef<Planned>[] = [
    {
      id: "departure",
      header: "Departure",
      accessorFn: (p) => dateTime(p.departureAt, route.from.timeZone),
      sortingFn: (a, b) => a.original.departureAt.getTime() - b.original.departureAt.getTime(),
    },
    { id: "arrival", header: "Arrival", accessorFn: (p) => dateTime(p.arrivalAt, route.to.timeZone) },
    {
      id: "state",
      header: "State",
      accessorFn: (p) => (p.exists ? "exists" : "new"),
      cell: (c) => (c.row.original.exists ? <Badge value="EXISTS" /> : <Badge value="NEW" />),
    },
  ];

  return (
    <Section
      title="Generate a timetable"
      description={`A weekly pattern on ${route.from.code} → ${route.to.code}. Sailings that already exist are skipped, so generating twice creates nothing new.`}
    >
      <form noValidate onSubmit={onPreview} className="grid gap-3 sm:grid-cols-2">
        <VesselSelect vessels={vessels} route={route} choose {...fieldOf(form, "vesselId")} />
        <PortTimeField portName={route.from.name} {...fieldOf(form, "departureTime")} />
        <fieldset
          className="sm:col-span-2"
          aria-describedby={errors.weekdays ? `${weekdaysId}-error` : undefined}
          aria-invalid={errors.weekdays ? true : undefined}
        >
          <legend className="text-sm font-semibold text-slate-800">Weekdays</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            {WEEKDAYS.map((d, i) => (
              <label key={d} className="flex items-center gap-1 text-sm">
                <input type="checkbox" value={String(i + 1)} {...form.register("weekdays")} />
                {d}
              </label>
            ))}
          </div>
          {errors.weekdays ? (
            <p id={`${weekdaysId}-error`} className="text-xs font-medium text-coral-700">
              ⚠ {errors.weekdays.message}
            </p>
          ) : null}
        </fieldset>
        <Input label="First date" type="date" {...fieldOf(form, "fromDate")} />
        <Input label="Last date" type="date" {...fieldOf(form, "toDate")} />
        <DurationField usual={route.durationMinutes} {...fieldOf(form, "durationMinutes")} />
        <div className="flex items-end">
          <button type="submit" className={btnSecondary}>
            Preview
          </button>
        </div>
      </form>
      {plan && preview.isPending ? <p role="status">Working out the sailings…</p> : null}
      {plan && preview.isError ? <Alert>{errorMessage(preview.error)}</Alert> : null}
      {plan && preview.data ? (
        <div className="grid gap-2">
          <p role="status" className="font-semibold">
            {preview.data.newCount} new sailing{preview.data.newCount === 1 ? "" : "s"},{" "}
            {preview.data.existingCount} already exist{preview.data.existingCount === 1 ? "s" : ""}.
          </p>
          <DataTable
            caption="Timetable preview"
            columns={columns}
            data={preview.data.sailings}
            initialPageSize={10}
            emptyText="The pattern matches no day in this range."
          />
          <div>
            <button
              type="button"
              className={btnPrimary}
              disabled={generate.isPending || preview.data.newCount === 0}
              onClick={() =>
                generate.mutate(plan, {
                  onSuccess: (r) => {
                    toast.success(
                      `Timetable saved: ${r.created} sailing${r.created === 1 ? "" : "s"} created, ${r.skipped} already existed.`,
                    );
                    void qc.invalidateQueries(trpc.admin.schedule.pathFilter());
                  },
                  onError: (e) => toast.error(`Timetable not saved: ${errorMessage(e)}`),
                })
              }
            >
              {generate.isPending ? "Creating…" : `Create ${preview.data.newCount} sailings`}
            </button>
          </div>
        </div>
      ) : null}
    </Section>
  );
}

const emptyPlan: Plan = {
  routeId: 0,
  vesselId: 0,
  weekdays: [1],
  departureTime: "00:00",
  fromDate: "",
  toDate: "",
};
