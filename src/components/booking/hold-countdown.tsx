"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { formatNumber } from "@/shared/format";

/** Milliseconds left until `until`, ticking every second; 0 once passed. */
function useRemaining(until: Date | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [until]);
  return until ? Math.max(0, until.getTime() - now) : null;
}

/**
 * The hold's remaining time as mm:ss. A role="timer" is not read out every second; the polite note below is
 * updated only at a few thresholds so a screen-reader user hears that time is running short.
 */
export function HoldCountdown({ until, onExpired }: { until: Date; onExpired?: () => void }) {
  const t = useTranslations("book.hold");
  const locale = useLocale();
  const left = useRemaining(until) ?? 0;
  const minutes = Math.floor(left / 60_000);
  const seconds = Math.floor((left % 60_000) / 1000);
  const fired = useRef(false);
  useEffect(() => {
    if (left === 0 && !fired.current) {
      fired.current = true;
      onExpired?.();
    }
  }, [left, onExpired]);
  const threshold = left === 0 ? "over" : minutes < 1 ? "1" : minutes < 5 ? "5" : null;
  const time = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(until);
  return (
    <div className="rounded-xl border border-sea-100 bg-sea-50 p-3">
      <p className="text-sm text-slate-700">{t("label", { time })}</p>
      <p role="timer" aria-label={t("timerLabel")} className="text-3xl font-bold tabular-nums text-sea-900">
        <span dir="ltr">
          {formatNumber(locale, minutes, 2)}:{formatNumber(locale, seconds, 2)}
        </span>
      </p>
      <p aria-live="polite" className="sr-only">
        {threshold === "over" ? t("over") : threshold ? t("short", { minutes: Number(threshold) }) : ""}
      </p>
    </div>
  );
}
