"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { DataTable } from "./data-table";
import { errorMessage, readAppError } from "@/trpc/errors";
import { FareCell, type FareItem } from "./fare-cell";
import {
  ACCOMMODATION_NAMES,
  addDays,
  dateTime,
  money,
  PASSENGER_TYPE_NAMES,
  parseMajor,
  todayIn,
  VEHICLE_NAMES,
  when,
} from "./format";
import { type AdminOutputs, type AdminInputs, type RouteRow, routeLabel } from "./types";
import { Alert, Badge, btnDangerOutline, btnPrimary, Input, Loading, PageTitle, Section, Select } from "./ui";

type Fares = AdminOutputs["pricing"]["routeFares"];
type Fare = Fares["defaults"][number];
type Override = Fares["overrides"][number];

const ACCOMMODATIONS = ["DECK", "SEAT", "CABIN_INSIDE", "CABIN_OUTSIDE"] as const;
const PASSENGER_TYPES = ["adult", "child", "infant"] as const;
const VEHICLES = ["motorcycle", "car", "high_car", "camper"] as const;

function itemLabel(f: {
  kind: string;
  accommodation: string | null;
  passengerType: string | null;
  vehicleType: string | null;
}) {
  if (f.kind === "PASSENGER")
    return `${ACCOMMODATION_NAMES[f.accommodation ?? ""] ?? f.accommodation}, ${PASSENGER_TYPE_NAMES[f.passengerType ?? ""] ?? f.passengerType}`;
  if (f.kind === "VEHICLE")
    return `Vehicle supplement, ${VEHICLE_NAMES[f.vehicleType ?? ""] ?? f.vehicleType}`;
  return "Pet supplement";
}

function itemOf(f: Fare): FareItem {
  if (f.kind === "PASSENGER")
    return {
      kind: "PASSENGER",
      accommodation: f.accommodation as (typeof ACCOMMODATIONS)[number],
      passengerType: f.passengerType as (typeof PASSENGER_TYPES)[number],
    };
  if (f.kind === "VEHICLE")
    return { kind: "VEHICLE", vehicleType: f.vehicleType as (typeof VEHICLES)[number] };
  return { kind: "PET" };
}

/** Every fare item a route can price, as a stable key for the override form's select. */
const ITEM_KEYS: { key: string; item: FareItem; label: string }[] = [
  ...ACCOMMODATIONS.flatMap((a) =>
    PASSENGER_TYPES.map((p) => ({
      key: `P:${a}:${p}`,
      item: { kind: "PASSENGER", accommodation: a, passengerType: p } as FareItem,
      label: `${ACCOMMODATION_NAMES[a]}, ${PASSENGER_TYPE_NAMES[p]}`,
    })),
  ),
  ...VEHICLES.map((v) => ({
    key: `V:${v}`,
    item: { kind: "VEHICLE", vehicleType: v } as FareItem,
    label: `Vehicle supplement, ${VEHICLE_NAMES[v]}`,
  })),
  { key: "PET", item: { kind: "PET" }, label: "Pet supplement" },
];

export function PricesPanel({
  initialRouteId,
  initialSailingId,
}: {
  initialRouteId?: number;
  initialSailingId?: number;
}) {
  const trpc = useTRPC();
  const routes = useQuery(trpc.admin.schedule.routes.queryOptions());
  const [routeId, setRouteId] = useState<number | undefined>(initialRouteId);
  const route = routes.data?.find((r) => r.id === routeId) ?? routes.data?.[0];
  const fares = useQuery({
    ...trpc.admin.pricing.routeFares.queryOptions({ routeId: route?.id ?? 0 }),
    enabled: Boolean(route),
  });
  const currency = fares.data?.currency ?? "EUR";
  const find = (pred: (f: Fare) => boolean) => fares.data?.defaults.find(pred);

  return (
    <>
      <PageTitle>Prices</PageTitle>
      <Alert tone="info">Changes apply to new searches at once; existing bookings keep their price.</Alert>
      <div className="flex flex-wrap items-end gap-3">
        <Select
          label="Route"
          className="min-w-96"
          value={route?.id ?? ""}
          onChange={(e) => setRouteId(Number(e.target.value))}
        >
          {(routes.data ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {routeLabel(r)}
            </option>
          ))}
        </Select>
        {fares.data ? (
          <p className="pb-2 text-sm text-slate-700">Prices in {currency}, per person per crossing.</p>
        ) : null}
      </div>
      {routes.isError ? <Alert>{errorMessage(routes.error)}</Alert> : null}
      {fares.isError ? <Alert>{errorMessage(fares.error)}</Alert> : null}
      {fares.isPending && route ? <Loading what="Loading fares…" /> : null}
      {fares.data && route ? (
        <>
          <Section
            title="Route fares"
            description="The default price for every sailing on this route, unless a sailing has its own override."
          >
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">Passenger fares by accommodation and passenger type</caption>
                <thead className="bg-sand-100 text-left">
                  <tr>
                    <th scope="col" className="px-2 py-2">
                      Accommodation
                    </th>
                    {PASSENGER_TYPES.map((p) => (
                      <th key={p} scope="col" className="px-2 py-2">
                        {PASSENGER_TYPE_NAMES[p]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {ACCOMMODATIONS.map((a) => (
                    <tr key={a} className="border-t border-slate-200 align-top">
                      <th scope="row" className="px-2 py-2 text-left">
                        {ACCOMMODATION_NAMES[a]}
                      </th>
                      {PASSENGER_TYPES.map((p) => {
                        const f = find(
                          (x) => x.kind === "PASSENGER" && x.accommodation === a && x.passengerType === p,
                        );
                        return (
                          <td key={p} className="px-2 py-2">
                            <FareCell
                              key={route.id}
                              label={`${ACCOMMODATION_NAMES[a]}, ${PASSENGER_TYPE_NAMES[p]}`}
                              amount={f?.amount ?? null}
                              currency={currency}
                              routeId={route.id}
                              item={{ kind: "PASSENGER", accommodation: a, passengerType: p }}
                            />
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="grid gap-4 md:grid-cols-2">
              <table className="w-full text-sm">
                <caption className="pb-1 text-left font-bold text-sea-900">
                  Vehicle supplements (per crossing)
                </caption>
                <tbody>
                  {VEHICLES.map((v) => {
                    const f = find((x) => x.kind === "VEHICLE" && x.vehicleType === v);
                    return (
                      <tr key={v} className="border-t border-slate-200 align-top">
                        <th scope="row" className="px-2 py-2 text-left font-normal">
                          {VEHICLE_NAMES[v]}
                        </th>
                        <td className="px-2 py-2">
                          <FareCell
                            key={route.id}
                            label={`Vehicle supplement, ${VEHICLE_NAMES[v]}`}
                            amount={f?.amount ?? null}
                            currency={currency}
                            routeId={route.id}
                            item={{ kind: "VEHICLE", vehicleType: v }}
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <table className="w-full self-start text-sm">
                <caption className="pb-1 text-left font-bold text-sea-900">Pet supplement (per pet)</caption>
                <tbody>
                  <tr className="border-t border-slate-200 align-top">
                    <th scope="row" className="px-2 py-2 text-left font-normal">
                      Pet in a kennel
                    </th>
                    <td className="px-2 py-2">
                      <FareCell
                        key={route.id}
                        label="Pet supplement"
                        amount={find((x) => x.kind === "PET")?.amount ?? null}
                        currency={currency}
                        routeId={route.id}
                        item={{ kind: "PET" }}
                      />
                    </td>
                  </tr>
                </tbody>
              </table>
            </div>
          </Section>
          <Overrides
            route={route}
            fares={fares.data}
            currency={currency}
            initialSailingId={initialSailingId}
          />
        </>
      ) : null}
    </>
  );
}

function Overrides({
  route,
  fares,
  currency,
  initialSailingId,
}: {
  route: RouteRow;
  fares: Fares;
  currency: string;
  initialSailingId?: number;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [removing, setRemoving] = useState<Override | null>(null);
  const remove = useMutation(trpc.admin.pricing.removeOverride.mutationOptions());
  const zone = route.from.timeZone;

  const columns = useMemo<ColumnDef<Override>[]>(
    () => [
      {
        id: "sailing",
        header: "Sailing (departure, port time)",
        accessorFn: (o) => `${o.sailingId} ${dateTime(o.departureAt, zone)}`,
        sortingFn: (a, b) => a.original.departureAt.getTime() - b.original.departureAt.getTime(),
        cell: (c) => (
          <span>
            {dateTime(c.row.original.departureAt, zone)}{" "}
            <span className="text-slate-600">#{c.row.original.sailingId}</span>{" "}
            {c.row.original.sailingStatus === "CANCELLED" ? <Badge value="CANCELLED" /> : null}
          </span>
        ),
      },
      { id: "item", header: "Item", accessorFn: (o) => itemLabel(o) },
      {
        id: "default",
        header: "Route price",
        enableSorting: false,
        cell: (c) => {
          const o = c.row.original;
          const d = fares.defaults.find(
            (f) =>
              f.kind === o.kind &&
              f.accommodation === o.accommodation &&
              f.passengerType === o.passengerType &&
              f.vehicleType === o.vehicleType,
          );
          return d ? money(d.amount, d.currency) : "—";
        },
      },
      {
        id: "amount",
        header: "Override",
        accessorFn: (o) => o.amount,
        cell: (c) => (
          <FareCell
            key={c.row.original.id}
            label={`${itemLabel(c.row.original)} on sailing ${c.row.original.sailingId}`}
            amount={c.row.original.amount}
            currency={c.row.original.currency}
            routeId={route.id}
            sailingId={c.row.original.sailingId ?? undefined}
            item={itemOf(c.row.original)}
          />
        ),
      },
      {
        id: "updated",
        header: "Updated",
        accessorFn: (o) => o.updatedAt.getTime(),
        cell: (c) => when(c.row.original.updatedAt),
      },
      {
        id: "remove",
        header: "Remove",
        enableSorting: false,
        cell: (c) => (
          <button
            type="button"
            className={btnDangerOutline}
            onClick={() => {
              remove.reset();
              setRemoving(c.row.original);
            }}
          >
            Remove
            <span className="sr-only">
              {" "}
              override {itemLabel(c.row.original)} on sailing {c.row.original.sailingId}
            </span>
          </button>
        ),
      },
    ],
    [fares.defaults, route.id, zone, remove],
  );

  return (
    <Section
      title="Per-sailing overrides"
      description="A price for one sailing only (a peak day, a promotion). Removing it brings back the route price."
    >
      <DataTable
        caption="Per-sailing price overrides"
        columns={columns}
        data={fares.overrides}
        getRowId={(o) => String(o.id)}
        filterLabel="Filter overrides"
        emptyText="No sailing on this route has its own price."
      />
      <AddOverride route={route} currency={currency} initialSailingId={initialSailingId} />
      <ConfirmDialog
        open={removing !== null}
        title="Remove this price override?"
        confirmLabel="Remove override"
        cancelLabel="Keep it"
        pending={remove.isPending}
        pendingLabel="Removing…"
        error={remove.isError ? errorMessage(remove.error) : null}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(
            { fareId: removing.id },
            {
              onSuccess: () => {
                toast.success(`Override removed: ${itemLabel(removing)} on sailing ${removing.sailingId}.`);
                setRemoving(null);
                void qc.invalidateQueries(trpc.admin.pricing.pathFilter());
              },
              onError: (e) => toast.error(`Override not removed: ${errorMessage(e)}`),
            },
          )
        }
      >
        {removing ? (
          <p>
            {itemLabel(removing)} on the sailing of {dateTime(removing.departureAt, zone)} goes back to the
            route price. Existing bookings keep what they paid.
          </p>
        ) : null}
      </ConfirmDialog>
    </Section>
  );
}

function AddOverride({
  route,
  currency,
  initialSailingId,
}: {
  route: RouteRow;
  currency: string;
  initialSailingId?: number;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const zone = route.from.timeZone;
  const [date, setDate] = useState(() => todayIn(zone));
  const sailings = useQuery(
    trpc.admin.schedule.list.queryOptions({
      routeId: route.id,
      fromDate: date,
      toDate: addDays(date, 6),
      status: "SCHEDULED",
    }),
  );
  const schema = z.object({
    sailingId: z.string().min(1, "Choose a sailing."),
    item: z.string().min(1, "Choose what to price."),
    amount: z
      .string()
      .trim()
      .min(1, "Give a price.")
      .refine((v) => parseMajor(v, currency) !== null, "Give an amount like 89.50 (at most 2 decimals)."),
  });
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      sailingId: initialSailingId ? String(initialSailingId) : "",
      item: "P:DECK:adult",
      amount: "",
    },
  });
  const setFare = useMutation(trpc.admin.pricing.setFare.mutationOptions());
  const { errors } = form.formState;
  const [error, setError] = useState<string | null>(null);

  const submit = form.handleSubmit((v) => {
    setError(null);
    const item = ITEM_KEYS.find((k) => k.key === v.item)!;
    const input = {
      routeId: route.id,
      sailingId: Number(v.sailingId),
      amount: parseMajor(v.amount, currency)!,
      currency,
      ...item.item,
    } as AdminInputs["pricing"]["setFare"];
    setFare.mutate(input, {
      onSuccess: (f) => {
        toast.success(
          `Override saved: ${item.label} on sailing ${v.sailingId} is ${money(f.amount, f.currency)}.`,
        );
        form.reset({ sailingId: v.sailingId, item: v.item, amount: "" });
        void qc.invalidateQueries(trpc.admin.pricing.pathFilter());
      },
      onError: (e) => {
        const p = readAppError(e);
        if (p.fieldErrors.amount) form.setError("amount", { message: p.fieldErrors.amount });
        else setError(p.message);
        toast.error(`Override not saved: ${p.message}`);
      },
    });
  });

  const options = sailings.data ?? [];
  const preselected = initialSailingId && !options.some((s) => s.id === initialSailingId);

  return (
    <form
      noValidate
      onSubmit={submit}
      className="grid gap-3 rounded-md border border-slate-200 p-3"
      aria-labelledby="add-override"
    >
      <h3 id="add-override" className="font-bold text-sea-900">
        Add or change an override
      </h3>
      <div className="flex flex-wrap items-start gap-3">
        <Input
          label="Sailings from"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          hint="Lists the week from this date"
        />
        <Select
          label="Sailing"
          className="min-w-72"
          error={errors.sailingId?.message}
          {...form.register("sailingId")}
        >
          <option value="">
            {sailings.isPending ? "Loading…" : options.length ? "Choose…" : "No sailings that week"}
          </option>
          {preselected ? <option value={initialSailingId}>Sailing #{initialSailingId}</option> : null}
          {options.map((s) => (
            <option key={s.id} value={s.id}>
              {dateTime(s.departureAt, s.from.timeZone)} · {s.vessel.name}
            </option>
          ))}
        </Select>
        <Select label="Item" error={errors.item?.message} {...form.register("item")}>
          {ITEM_KEYS.map((k) => (
            <option key={k.key} value={k.key}>
              {k.label}
            </option>
          ))}
        </Select>
        <Input
          label={`Price (${currency})`}
          inputMode="decimal"
          placeholder="0.00"
          className="w-32"
          error={errors.amount?.message}
          {...form.register("amount")}
        />
        <div className="pt-6">
          <button type="submit" className={btnPrimary} disabled={setFare.isPending}>
            {setFare.isPending ? "Saving…" : "Save override"}
          </button>
        </div>
      </div>
      {error ? <Alert>{error}</Alert> : null}
    </form>
  );
}
