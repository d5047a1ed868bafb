"use client";

import { useLocale, useTranslations } from "next-intl";
import { type ReactNode, useMemo, useState } from "react";
import { Link } from "@/i18n/navigation";
import { formatMoney } from "@/shared/money";
import { SailingCard } from "./sailing-card";
import type { OptionView, SailingView } from "./sailing-view";

export type SortKey = "departure" | "price" | "duration";
const SORT_KEYS: SortKey[] = ["departure", "price", "duration"];

export interface LegProps {
  key: "out" | "ret";
  headingId: string;
  heading: string;
  /** "3 sailings on Monday 30 November", announced when it changes. */
  status: string;
  strip: ReactNode;
  /** Empty / full notice with suggested days; rendered by the server. */
  notice: ReactNode;
  sailings: SailingView[];
}

function sortSailings(list: SailingView[], key: SortKey): SailingView[] {
  const by: Record<SortKey, (a: SailingView, b: SailingView) => number> = {
    departure: (a, b) => a.departureTs - b.departureTs,
    // Nothing bookable for this party sinks to the bottom whatever its nominal price.
    price: (a, b) => (a.bestAmount ?? Number.POSITIVE_INFINITY) - (b.bestAmount ?? Number.POSITIVE_INFINITY),
    duration: (a, b) => a.durationMinutes - b.durationMinutes,
  };
  return [...list].sort((a, b) => by[key](a, b) || a.departureTs - b.departureTs);
}

/**
 * The interactive part of the results page: sorting, choosing one option per leg, and the always-visible
 * trip total. Everything it shows was formatted on the server; it holds only the choice and the sort.
 */
export function TripPlanner({
  legs,
  initialSort,
  partyLabel,
  partyQuery,
}: {
  legs: LegProps[];
  initialSort: SortKey;
  partyLabel: string;
  partyQuery: Record<string, string>;
}) {
  const t = useTranslations("search.results");
  const [sort, setSort] = useState<SortKey>(initialSort);
  const [chosen, setChosen] = useState<Partial<Record<"out" | "ret", string>>>({});

  const optionsByValue = useMemo(() => {
    const m = new Map<string, { option: OptionView; sailing: SailingView }>();
    for (const leg of legs)
      for (const sailing of leg.sailings)
        for (const option of sailing.options) m.set(option.value, { option, sailing });
    return m;
  }, [legs]);

  const changeSort = (next: SortKey) => {
    setSort(next);
    // Keep the order in the URL (shareable, survives reload) without a server round trip.
    const url = new URL(window.location.href);
    url.searchParams.set("sort", next);
    window.history.replaceState(window.history.state, "", url);
  };

  const picked = legs.map((leg) => {
    const value = chosen[leg.key];
    return { leg, value, entry: value ? optionsByValue.get(value) : undefined };
  });
  const anySailings = legs.some((l) => l.sailings.length > 0);

  return (
    <div>
      {anySailings ? (
        <div className="mb-4 flex items-center justify-end gap-2">
          <label htmlFor="sort" className="text-sm font-semibold">
            {t("sort")}
          </label>
          <select
            id="sort"
            value={sort}
            onChange={(e) => changeSort(e.target.value as SortKey)}
            className="rounded-lg border border-slate-400 bg-white px-3 py-2"
          >
            {SORT_KEYS.map((k) => (
              <option key={k} value={k}>
                {t(`sort${k[0]?.toUpperCase()}${k.slice(1)}` as "sortDeparture")}
              </option>
            ))}
          </select>
        </div>
      ) : null}

      {legs.map((leg) => (
        <section key={leg.key} aria-labelledby={leg.headingId} className="mb-10">
          <h2 id={leg.headingId} className="text-xl font-bold text-sea-900">
            {leg.heading}
          </h2>
          {leg.strip}
          <p role="status" className="mt-4 font-medium text-slate-700">
            {leg.status}
          </p>
          {leg.notice}
          {leg.sailings.length ? (
            <ol className="mt-3 grid gap-4">
              {sortSailings(leg.sailings, sort).map((s) => (
                <li key={s.id}>
                  <SailingCard
                    sailing={s}
                    name={`${leg.key}-choice`}
                    value={chosen[leg.key]}
                    onChoose={(v) => setChosen((c) => ({ ...c, [leg.key]: v }))}
                  />
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ))}

      {anySailings ? <ChoiceSummary picked={picked} partyLabel={partyLabel} partyQuery={partyQuery} /> : null}
    </div>
  );
}

type Picked = {
  leg: LegProps;
  value: string | undefined;
  entry: { option: OptionView; sailing: SailingView } | undefined;
};

/** The trip so far, pinned to the bottom: one line per leg, the total, and Continue once every leg is chosen. */
function ChoiceSummary({
  picked,
  partyLabel,
  partyQuery,
}: {
  picked: Picked[];
  partyLabel: string;
  partyQuery: Record<string, string>;
}) {
  const t = useTranslations("search.results");
  const locale = useLocale();
  const complete = picked.every((p) => p.entry);
  const currencies = new Set(picked.flatMap((p) => (p.entry ? [p.entry.option.currency] : [])));
  const total =
    picked.some((p) => p.entry) && currencies.size === 1
      ? formatMoney(
          locale,
          picked.reduce((sum, p) => sum + (p.entry?.option.amount ?? 0), 0),
          [...currencies][0] as string,
        )
      : null;
  const bookQuery: Record<string, string> = {};
  for (const p of picked) if (p.value) bookQuery[p.leg.key] = p.value;
  return (
    <section
      aria-labelledby="trip-summary-title"
      className="sticky bottom-0 z-10 -mx-4 border-t-2 border-sea-700 bg-white px-4 py-3 shadow-[0_-4px_12px_rgb(0_0_0/0.08)] md:mx-0 md:rounded-t-xl"
    >
      <h2 id="trip-summary-title" className="sr-only">
        {t("summary.title")}
      </h2>
      <div className="flex flex-col gap-3 md:flex-row md:items-center md:justify-between">
        <dl className="grid gap-1 text-sm">
          {picked.map(({ leg, entry }) => (
            <div key={leg.key} className="flex flex-wrap gap-x-2">
              <dt className="font-semibold">{leg.key === "out" ? t("outbound") : t("return")}</dt>
              <dd className="text-slate-700">
                {entry
                  ? `${entry.sailing.dep.date} ${entry.sailing.dep.time} · ${entry.option.label} · ${entry.option.price}`
                  : t("summary.choose")}
              </dd>
            </div>
          ))}
        </dl>
        <div className="flex items-center justify-between gap-4 md:justify-end">
          <p aria-live="polite">
            <span className="block text-xs text-slate-600">{t("summary.total", { party: partyLabel })}</span>
            <span className="text-2xl font-bold text-sea-900">{total ?? "—"}</span>
          </p>
          {complete ? (
            <Link
              href={{ pathname: "/book", query: { ...bookQuery, ...partyQuery } }}
              className="rounded-full bg-coral-600 px-6 py-3 font-semibold text-white hover:bg-coral-700"
            >
              {t("summary.continue")}
            </Link>
          ) : (
            <p className="max-w-56 text-sm text-slate-700">
              {picked.length > 1 ? t("summary.pickBoth") : t("summary.pickOne")}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
