"use client";

import { useTranslations } from "next-intl";
import type { BookingPageData } from "./booking-types";

/**
 * The price of the trip, always in view: a sticky column on wide screens and a bar pinned to the bottom of
 * phones that jumps to the full breakdown.
 */
export function TripSummary({ data, updating }: { data: BookingPageData; updating: boolean }) {
  const t = useTranslations("book.summary");
  return (
    <>
      <aside
        id="price-summary"
        aria-labelledby="price-summary-title"
        tabIndex={-1}
        className="mt-6 rounded-2xl border border-sea-100 bg-white p-4 shadow-sm lg:sticky lg:top-4 lg:mt-0 lg:self-start"
      >
        <h2 id="price-summary-title" className="text-lg font-bold text-sea-900">
          {t("title")}
        </h2>
        <p className="text-sm text-slate-700">{data.partyLabel}</p>
        {data.legs.map((leg) => (
          <section key={leg.key} aria-label={leg.heading} className="mt-3 border-t border-slate-200 pt-3">
            <p className="font-semibold">{leg.heading}</p>
            <p className="text-sm text-slate-700">
              {leg.dep.date} {leg.dep.time} · {leg.accommodationLabel}
            </p>
            <ul className="mt-1 grid gap-0.5 text-sm">
              {leg.lines.map((l) => (
                <li key={l.label} className="flex justify-between gap-3">
                  <span>{l.label}</span>
                  <span className="tabular-nums">{l.amount}</span>
                </li>
              ))}
            </ul>
            <p className="mt-1 flex justify-between gap-3 text-sm font-semibold">
              <span>{t("legTotal")}</span>
              <span className="tabular-nums">{leg.total}</span>
            </p>
          </section>
        ))}
        <p className="mt-3 flex items-baseline justify-between gap-3 border-t-2 border-sea-700 pt-3">
          <span className="font-bold">{t("total")}</span>
          <span
            className="text-2xl font-bold tabular-nums text-sea-900"
            aria-live="polite"
            aria-busy={updating}
          >
            {data.total ?? "—"}
          </span>
        </p>
        <p className="mt-1 text-xs text-slate-600">{t("includes")}</p>
      </aside>
      <div className="fixed inset-x-0 bottom-0 z-20 border-t-2 border-sea-700 bg-white px-4 py-2 shadow-[0_-4px_12px_rgb(0_0_0/0.08)] lg:hidden">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-3">
          <p>
            <span className="block text-xs text-slate-700">{t("total")}</span>
            <span className="text-xl font-bold tabular-nums text-sea-900">{data.total ?? "—"}</span>
          </p>
          <a
            href="#price-summary"
            className="text-sm font-semibold text-sea-700 underline underline-offset-2"
          >
            {t("details")}
          </a>
        </div>
      </div>
    </>
  );
}
