"use client";

import { useTranslations } from "next-intl";
import { isolateName } from "@/shared/format";
import type { OptionView, SailingView } from "./sailing-view";

/** One sailing in the results: its times in each port's zone, the ship, and one choosable card per class. */
export function SailingCard({
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
          <Endpoint label={t("departs")} {...s.dep} />
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
          <Endpoint label={t("arrives")} {...s.arr} shift={s.dayShiftShort} />
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
