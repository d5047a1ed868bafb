import type { Endpoint, TripLegView } from "./booking-types";

/** One chosen sailing: times in each port's own zone, the ship, the class and why it cannot be had if so. */
export function LegCard({ leg, headingLevel = 3 }: { leg: TripLegView; headingLevel?: 3 | 4 }) {
  const H = headingLevel === 3 ? "h3" : "h4";
  return (
    <article className="rounded-xl border border-sea-100 bg-white p-4">
      <H className="font-bold text-sea-900">{leg.heading}</H>
      <div className="mt-2 flex flex-wrap items-center gap-x-6 gap-y-2">
        <Time e={leg.dep} />
        <span aria-hidden="true" className="text-sea-600 rtl:-scale-x-100">
          →
        </span>
        <Time e={leg.arr} shift={leg.dayShift} />
      </div>
      <p className="mt-2 text-sm text-slate-700">
        {leg.duration} · <bdi>{leg.operator}</bdi> · {leg.vessel}
      </p>
      <p className="mt-2">
        <span className="font-semibold">{leg.accommodationLabel}</span>
        <span className="text-sm text-slate-700"> — {leg.accommodationHint}</span>
      </p>
      {leg.problem ? (
        <p className="mt-2 rounded-lg bg-coral-50 p-2 font-medium text-coral-700">
          <span aria-hidden="true">⚠ </span>
          {leg.problem}
        </p>
      ) : null}
    </article>
  );
}

function Time({ e, shift }: { e: Endpoint; shift?: string }) {
  return (
    <p>
      <span className="block text-sm font-semibold">{e.port}</span>
      <span className="text-2xl font-bold tabular-nums text-sea-900">{e.time}</span>{" "}
      <span className="text-sm text-slate-700">{e.date}</span>
      {shift ? <span className="ms-1 text-sm font-semibold text-coral-700">{shift}</span> : null}
      <span className="block text-xs text-slate-600">
        {e.zone} <span dir="ltr">({e.offset})</span>
      </span>
    </p>
  );
}
