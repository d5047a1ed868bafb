"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { errorMessage } from "@/trpc/errors";
import { addDays } from "@/shared/dates";
import { isoDate, time } from "../format";
import type { AdminOutputs, SailingRow } from "../types";
import { Alert, btnSecondary, Loading } from "../ui";

type Week = AdminOutputs["schedule"]["weekView"];

/** Monday to Sunday, each sailing on its departure port's calendar day, with its local time and load. */
export function WeekView({
  date,
  onDate,
  query,
  onOpen,
  selectedId,
}: {
  date: string;
  onDate: (d: string) => void;
  query: UseQueryResult<Week, unknown>;
  onOpen: (s: SailingRow) => void;
  selectedId: number | null;
}) {
  const week = query.data;
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={btnSecondary} onClick={() => onDate(addDays(date, -7))}>
          ← Previous week
        </button>
        <p className="font-semibold" aria-live="polite">
          {week ? `Week of ${isoDate(week.weekStart, "long")}` : "\u00a0"}
        </p>
        <button type="button" className={btnSecondary} onClick={() => onDate(addDays(date, 7))}>
          Next week →
        </button>
      </div>
      {query.isPending ? <Loading what="Loading the week…" /> : null}
      {query.isError ? <Alert>{errorMessage(query.error)}</Alert> : null}
      {week ? (
        <ol className="grid gap-2 md:grid-cols-7" aria-label="Days of the week">
          {week.days.map((d) => (
            <li
              key={d.date}
              className="grid content-start gap-1 rounded-md border border-slate-200 bg-sand-50 p-2"
            >
              <h3 className="text-sm font-bold text-sea-900">{isoDate(d.date)}</h3>
              {d.sailings.length === 0 ? <p className="text-xs text-slate-600">No sailings</p> : null}
              <ul className="grid gap-1">
                {d.sailings.map((s) => {
                  const p = s.inventory.find((i) => i.resource === "PASSENGER");
                  return (
                    <li key={s.id}>
                      <button
                        type="button"
                        onClick={() => onOpen(s)}
                        aria-current={s.id === selectedId ? "true" : undefined}
                        className={`w-full rounded border px-2 py-1 text-left text-xs ${s.status === "CANCELLED" ? "border-coral-600 bg-coral-50 text-coral-700 line-through" : "border-sea-600 bg-white text-slate-900"} aria-[current=true]:ring-2 aria-[current=true]:ring-sea-600`}
                      >
                        <span className="block font-bold">
                          {time(s.departureAt, s.from.timeZone)} {s.from.code} → {s.to.code}
                        </span>
                        <span className="block">{s.vessel.name}</span>
                        <span className="block text-slate-600">
                          {s.status === "CANCELLED"
                            ? "Cancelled"
                            : p
                              ? `${p.held + p.sold}/${p.capacity} pax`
                              : ""}
                          {s.activeBookings ? ` · ${s.activeBookings} bkg` : ""}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
