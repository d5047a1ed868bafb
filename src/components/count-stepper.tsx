"use client";

import { useLocale } from "next-intl";
import { useId } from "react";
import { formatNumber } from "@/shared/format";

/**
 * A − value + stepper. Real buttons with their own names ("Add an adult") so screen readers say what they
 * change; the value is announced politely when it changes. Bounds disable the button instead of silently
 * ignoring the press.
 */
export function CountStepper({
  label,
  hint,
  addLabel,
  removeLabel,
  value,
  min,
  max,
  onChange,
  error,
  errorId,
}: {
  label: string;
  hint?: string;
  addLabel: string;
  removeLabel: string;
  value: number;
  min: number;
  max: number;
  onChange: (next: number) => void;
  error?: string;
  errorId: string;
}) {
  const locale = useLocale();
  const id = useId();
  const button =
    "grid size-10 place-items-center rounded-full border-2 border-sea-700 text-xl font-bold leading-none text-sea-700 hover:bg-sea-50 disabled:cursor-not-allowed disabled:border-slate-300 disabled:text-slate-500 disabled:hover:bg-transparent";
  return (
    <fieldset
      aria-describedby={[hint ? `${id}-hint` : "", error ? errorId : ""].join(" ").trim() || undefined}
      className="py-2"
    >
      {/* The legend names the group for assistive tech; the visible label is laid out with the buttons. */}
      <legend className="sr-only">{label}</legend>
      <div className="flex items-center justify-between gap-3">
        <div>
          <div aria-hidden="true" className="font-medium">
            {label}
          </div>
          {hint ? (
            <div id={`${id}-hint`} className="text-sm text-slate-600">
              {hint}
            </div>
          ) : null}
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <button
            type="button"
            className={button}
            aria-label={removeLabel}
            disabled={value <= min}
            onClick={() => onChange(value - 1)}
          >
            <span aria-hidden="true">−</span>
          </button>
          <output
            aria-live="polite"
            aria-label={label}
            className="w-8 text-center text-lg font-semibold tabular-nums"
          >
            {formatNumber(locale, value)}
          </output>
          <button
            type="button"
            className={button}
            aria-label={addLabel}
            disabled={value >= max}
            onClick={() => onChange(value + 1)}
          >
            <span aria-hidden="true">+</span>
          </button>
        </div>
      </div>
    </fieldset>
  );
}
