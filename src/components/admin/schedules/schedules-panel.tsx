"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useCallback, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { DataTable } from "../data-table";
import { errorMessage } from "@/trpc/errors";
import { addDays, todayAt } from "@/shared/dates";
import { dateTime } from "../format";
import { SailingEditor } from "./sailing-editor";
import { TimetableForm } from "./timetable-form";
import { CreateSailingForm } from "./create-sailing-form";
import { OwnOperatorsNote, ownRoutes } from "../own-operators-note";
import { type RouteRow, routeLabel, type SailingRow } from "../types";
import { Alert, Badge, btnLink, btnSecondary, Input, Loading, PageTitle, Section, Select } from "../ui";
import { WeekView } from "./week-view";

/** Schedules: a route and date range as a table or a week, plus creating, generating and editing sailings. */
export function SchedulesPanel({ initialRouteId }: { initialRouteId?: number }) {
  const trpc = useTRPC();
  const routes = useQuery(trpc.admin.schedule.routes.queryOptions());
  const vessels = useQuery(trpc.admin.schedule.vessels.queryOptions());
  const [routeId, setRouteId] = useState<number | undefined>(initialRouteId);
  const own = ownRoutes(routes.data);
  const route = own.find((r) => r.id === routeId) ?? own[0];
  const zone = route?.from.timeZone ?? "UTC";
  const [fromDate, setFromDate] = useState(() => todayAt("Africa/Tunis"));
  const [toDate, setToDate] = useState(() => addDays(todayAt("Africa/Tunis"), 13));
  const [status, setStatus] = useState<"" | "SCHEDULED" | "CANCELLED">("");
  const [view, setView] = useState<"table" | "week">("table");
  const [weekDate, setWeekDate] = useState(fromDate);
  const [selected, setSelected] = useState<SailingRow | null>(null);
  const editorRef = useRef<HTMLDivElement>(null);

  const rangeError =
    toDate < fromDate
      ? "The end date is before the start date."
      : toDate > addDays(fromDate, 92)
        ? "Show at most 92 days at a time."
        : null;
  const listInput = route
    ? { routeId: route.id, fromDate, toDate, status: status || undefined }
    : { routeId: 0, fromDate, toDate };
  const list = useQuery({
    ...trpc.admin.schedule.list.queryOptions(listInput),
    enabled: Boolean(route) && !rangeError && view === "table",
  });
  const week = useQuery({
    ...trpc.admin.schedule.weekView.queryOptions({ date: weekDate, routeId: route?.id }),
    enabled: Boolean(route) && view === "week",
  });

  // Keep the open editor in step with the freshest copy of its sailing after any refetch.
  const fresh = useMemo(() => {
    if (!selected) return null;
    const all = [...(list.data ?? []), ...(week.data?.days.flatMap((d) => d.sailings) ?? [])];
    return all.find((s) => s.id === selected.id) ?? selected;
  }, [selected, list.data, week.data]);

  const open = useCallback((s: SailingRow) => {
    setSelected(s);
    // Move focus to the editor's heading so keyboard and screen-reader users land where the action is.
    requestAnimationFrame(() => editorRef.current?.querySelector<HTMLElement>("h2")?.focus());
  }, []);

  const columns = useMemo<ColumnDef<SailingRow>[]>(
    () => [
      {
        id: "departure",
        header: "Departure (port time)",
        accessorFn: (s) => dateTime(s.departureAt, s.from.timeZone),
        sortingFn: (a, b) => a.original.departureAt.getTime() - b.original.departureAt.getTime(),
        cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
      },
      {
        id: "arrival",
        header: "Arrival (port time)",
        accessorFn: (s) => dateTime(s.arrivalAt, s.to.timeZone),
        sortingFn: (a, b) => a.original.arrivalAt.getTime() - b.original.arrivalAt.getTime(),
        cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
      },
      { id: "vessel", header: "Vessel", accessorFn: (s) => s.vessel.name },
      {
        id: "status",
        header: "Status",
        accessorFn: (s) => s.status,
        cell: (c) => <Badge value={c.getValue<string>()} />,
      },
      {
        id: "load",
        header: "Passengers (held + sold / capacity)",
        accessorFn: (s) => {
          const p = s.inventory.find((i) => i.resource === "PASSENGER");
          return p ? p.held + p.sold : 0;
        },
        cell: (c) => {
          const p = c.row.original.inventory.find((i) => i.resource === "PASSENGER");
          return p ? `${p.held} + ${p.sold} / ${p.capacity}` : "—";
        },
      },
      {
        id: "bookings",
        header: "Active bookings",
        accessorFn: (s) => s.activeBookings,
        cell: (c) => (
          <Link className={btnLink} href={`/admin/bookings?sailing=${c.row.original.id}`}>
            {c.getValue<number>()}
            <span className="sr-only"> bookings on sailing {c.row.original.id}</span>
          </Link>
        ),
      },
      {
        id: "actions",
        header: "Actions",
        enableSorting: false,
        cell: (c) => (
          <button type="button" className={btnSecondary} onClick={() => open(c.row.original)}>
            Manage
            <span className="sr-only">
              {" "}
              sailing of {dateTime(c.row.original.departureAt, c.row.original.from.timeZone)}
            </span>
          </button>
        ),
      },
    ],
    [open],
  );

  return (
    <>
      <PageTitle sub="All times are local at the port: departures in the departure port's time, arrivals in the arrival port's.">
        Schedules
      </PageTitle>
      {routes.isError ? <Alert>{errorMessage(routes.error)}</Alert> : null}
      <OwnOperatorsNote routes={routes.data} what="Schedules edited here" />
      <Section title="Sailings">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => e.preventDefault()}
          aria-label="Choose sailings"
        >
          <Select
            label="Route"
            className="min-w-80"
            value={route?.id ?? ""}
            onChange={(e) => {
              setRouteId(Number(e.target.value));
              setSelected(null);
            }}
          >
            {own.map((r: RouteRow) => (
              <option key={r.id} value={r.id}>
                {routeLabel(r)}
              </option>
            ))}
          </Select>
          <Input label="From" type="date" value={fromDate} onChange={(e) => setFromDate(e.target.value)} />
          <Input
            label="To"
            type="date"
            value={toDate}
            onChange={(e) => setToDate(e.target.value)}
            error={rangeError ?? undefined}
          />
          <Select label="Status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">All</option>
            <option value="SCHEDULED">Scheduled</option>
            <option value="CANCELLED">Cancelled</option>
          </Select>
          <fieldset className="flex gap-1">
            <legend className="mb-1 text-sm font-semibold text-slate-800">View</legend>
            {(["table", "week"] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={view === v}
                onClick={() => {
                  setView(v);
                  if (v === "week") setWeekDate(fromDate);
                }}
                className={`${btnSecondary} aria-pressed:bg-sea-700 aria-pressed:text-white`}
              >
                {v === "table" ? "Table" : "Week"}
              </button>
            ))}
          </fieldset>
        </form>
        {route ? (
          <p className="text-xs text-slate-600">
            Departures shown in {route.from.name} time ({zone}); typical crossing{" "}
            {`${Math.floor(route.durationMinutes / 60)} h${route.durationMinutes % 60 ? ` ${route.durationMinutes % 60} min` : ""}`}
            .
          </p>
        ) : null}
        {view === "table" ? (
          list.isPending && !rangeError ? (
            <Loading what="Loading sailings…" />
          ) : list.isError ? (
            <Alert>{errorMessage(list.error)}</Alert>
          ) : (
            <DataTable
              caption="Sailings on this route"
              columns={columns}
              data={list.data ?? []}
              getRowId={(s) => String(s.id)}
              filterLabel="Filter sailings"
              emptyText="No sailings in this range."
              rowClassName={(s) =>
                s.id === fresh?.id ? "outline-2 outline-sea-600 -outline-offset-2" : undefined
              }
            />
          )
        ) : (
          <WeekView
            date={weekDate}
            onDate={setWeekDate}
            query={week}
            onOpen={open}
            selectedId={fresh?.id ?? null}
          />
        )}
      </Section>

      <div ref={editorRef}>
        {fresh && route ? (
          <SailingEditor
            key={fresh.id}
            sailing={fresh}
            route={route}
            vessels={vessels.data ?? []}
            onClose={() => setSelected(null)}
            onChanged={(s) => setSelected(s)}
          />
        ) : null}
      </div>

      {route ? (
        <div className="grid items-start gap-5 lg:grid-cols-2">
          <CreateSailingForm
            key={`c-${route.id}-${vessels.data?.length ?? 0}`}
            route={route}
            vessels={vessels.data ?? []}
            onCreated={open}
          />
          <TimetableForm
            key={`t-${route.id}-${vessels.data?.length ?? 0}`}
            route={route}
            vessels={vessels.data ?? []}
          />
        </div>
      ) : null}
    </>
  );
}
