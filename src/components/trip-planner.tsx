"use client";

import { useLocale, useTranslations } from "next-intl";
import { type ReactNode, useMemo, useState } from "react";
import { Link } from "@/i18n/navigation";
import { isolateName } from "@/shared/format";
import { formatMoney } from "@/shared/money";
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
  const locale = useLocale();
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

      {anySailings ? (
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
                <span className="block text-xs text-slate-600">
                  {t("summary.total", { party: partyLabel })}
                </span>
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
                  {legs.length > 1 ? t("summary.pickBoth") : t("summary.pickOne")}
                </p>
              )}
            </div>
          </div>
        </section>
      ) : null}
    </div>
  );
}

function SailingCard({
  sailing: s,
  name,
  value,
  onChoose,
}: {
  sailing: SailingView;
  name: string;
  value: string | undefined;
  onChoose: (value: string) => void;
}) {
  const t = useTranslations("search.results");
  const titleId = `sailing-${name}-${s.id}`;
  return (
    <article
      aria-labelledby={titleId}
      className={`rounded-2xl border bg-white p-4 shadow-sm md:p-5 ${s.status ? "border-slate-300 bg-slate-50" : "border-sea-100"}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-4">
        <h3 id={titleId} className="sr-only">
          {`${s.dep.time} ${s.dep.zone} – ${s.arr.time} ${s.arr.zone} ${s.dayShiftLong}, ${isolateName(s.operator)}`}
        </h3>
        <div className="flex items-center gap-3 md:gap-6" aria-hidden="true">
          <Endpoint
            label={t("departs")}
            time={s.dep.time}
            date={s.dep.date}
            zone={s.dep.zone}
            offset={s.dep.offset}
          />
          <div className="flex flex-col items-center text-xs text-slate-600">
            <span className="whitespace-nowrap">{s.duration}</span>
            <svg
              viewBox="0 0 64 8"
              className="h-2 w-12 text-sea-600 md:w-20 rtl:-scale-x-100"
              aria-hidden="true"
            >
              <path d="M0 4h60m0 0-4-3m4 3-4 3" stroke="currentColor" strokeWidth="1.5" fill="none" />
            </svg>
          </div>
          <Endpoint
            label={t("arrives")}
            time={s.arr.time}
            date={s.arr.date}
            zone={s.arr.zone}
            offset={s.arr.offset}
            shift={s.dayShiftShort}
          />
        </div>
        <div className="text-sm text-slate-700 md:text-end">
          <p className="font-semibold text-slate-900">{s.operator}</p>
          <p>{s.vessel}</p>
          <p>
            <span className="sr-only">{t("durationLabel")}: </span>
            <span className="sr-only">{s.duration}</span>
          </p>
          {s.status ? (
            <p className="mt-1 inline-block rounded-full bg-slate-700 px-2 py-0.5 text-xs font-semibold text-white">
              {s.status}
            </p>
          ) : null}
        </div>
      </div>
      <fieldset className="mt-4">
        <legend className="sr-only">{t("optionsLegend", { time: s.dep.time })}</legend>
        <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
          {s.options.map((o) => (
            <OptionCard
              key={o.value}
              option={o}
              name={name}
              checked={value === o.value}
              onChoose={onChoose}
            />
          ))}
        </div>
      </fieldset>
    </article>
  );
}

function Endpoint({
  label,
  time,
  date,
  zone,
  offset,
  shift,
}: {
  label: string;
  time: string;
  date: string;
  zone: string;
  offset: string;
  shift?: string;
}) {
  return (
    <div>
      <p className="text-xs uppercase tracking-wide text-slate-600">{label}</p>
      <p className="text-2xl font-bold tabular-nums text-sea-900">
        {time}
        {shift ? <sup className="ms-1 text-xs font-semibold text-coral-600">{shift}</sup> : null}
      </p>
      <p className="text-sm text-slate-700">{date}</p>
      <p className="text-xs text-slate-600">
        {zone} <span dir="ltr">({offset})</span>
      </p>
    </div>
  );
}

function OptionCard({
  option: o,
  name,
  checked,
  onChoose,
}: {
  option: OptionView;
  name: string;
  checked: boolean;
  onChoose: (value: string) => void;
}) {
  const t = useTranslations("search.results");
  const id = `${name}-${o.value}`;
  return (
    <div
      className={`flex flex-col rounded-xl border-2 p-3 ${
        !o.available
          ? "border-slate-200 bg-slate-100 text-slate-600"
          : checked
            ? "border-sea-700 bg-sea-50"
            : "border-slate-200 hover:border-sea-600"
      }`}
    >
      <label
        htmlFor={id}
        className={`flex flex-1 gap-3 ${o.available ? "cursor-pointer" : "cursor-not-allowed"}`}
      >
        <input
          id={id}
          type="radio"
          name={name}
          value={o.value}
          checked={checked}
          disabled={!o.available}
          onChange={() => onChoose(o.value)}
          aria-describedby={`${id}-detail`}
          className="mt-1 size-5 shrink-0 accent-sea-700"
        />
        <span className="flex-1">
          <span className="block font-semibold text-slate-900">{o.label}</span>
          <span className="block text-xs text-slate-600">{o.hint}</span>
          <span
            className={`mt-2 block text-xl font-bold ${o.available ? "text-sea-900" : "text-slate-600 line-through"}`}
          >
            {o.price}
          </span>
          <span id={`${id}-detail`} className="block text-sm">
            {o.reason ? <span className="font-medium text-slate-700">{o.reason}</span> : null}
            {o.scarcity ? <span className="font-semibold text-coral-600">{o.scarcity}</span> : null}
          </span>
        </span>
      </label>
      {o.lines.length ? (
        <details className="mt-2 text-xs text-slate-700">
          <summary className="cursor-pointer underline underline-offset-2">{t("priceDetails")}</summary>
          <ul className="mt-1 grid gap-0.5">
            {o.lines.map((l) => (
              <li key={l.label} className="flex justify-between gap-2">
                <span>{l.label}</span>
                <span className="tabular-nums">{l.amount}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
