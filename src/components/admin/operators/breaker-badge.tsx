"use client";

import type { OperatorItem } from "./operator-card";

type State = NonNullable<OperatorItem["breaker"]>["status"];

const TONES: Record<State | "none", string> = {
  closed: "bg-emerald-100 text-emerald-900",
  "half-open": "bg-amber-100 text-amber-900",
  open: "bg-coral-600 text-white",
  none: "bg-slate-200 text-slate-800",
};

const TEXT: Record<State, string> = {
  closed: "Breaker closed: calls go through",
  "half-open": "Breaker half-open: one probe allowed",
  open: "Breaker open: calls refused",
};

/** The circuit breaker's state in words (never colour alone); an operator without a connector has none. */
export function BreakerBadge({ breaker }: { breaker: OperatorItem["breaker"] }) {
  const state = breaker?.status ?? null;
  return (
    <span
      data-testid="breaker-state"
      className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${TONES[state ?? "none"]}`}
    >
      {state ? TEXT[state] : "No breaker: not in use"}
    </span>
  );
}
