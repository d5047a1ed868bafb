import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { formatIsoDate, isoDateParts } from "@/shared/format";
import { formatMoney } from "@/shared/money";

export interface StripDay {
  date: string;
  cheapest: { amount: number; currency: string } | null;
  sailings: number;
}

/**
 * Seven days around the searched one with the cheapest adult fare of each, from `search.calendar`. Days are
 * links (the URL is the search), so the back button returns to the previous day and each day can be shared.
 */
export async function DayStrip({
  locale,
  days,
  current,
  hrefFor,
  labelId,
}: {
  locale: string;
  days: StripDay[];
  current: string;
  hrefFor: (date: string) => Record<string, string>;
  labelId: string;
}) {
  const t = await getTranslations("search.results");
  return (
    <nav aria-labelledby={labelId} className="mt-3">
      <p id={labelId} className="sr-only">
        {t("dayStrip")}
      </p>
      <p className="mb-1 text-xs text-slate-600" aria-hidden="true">
        {t("dayStripHint")}
      </p>
      <ul className="grid grid-cols-5 gap-1.5 sm:flex sm:gap-2">
        {days.map((d, i) => {
          // On a phone only the two days either side fit; the outer ones join from the small breakpoint up.
          const outer = i === 0 || i === days.length - 1 ? "max-sm:hidden" : "";
          const parts = isoDateParts(locale, d.date);
          const price = d.cheapest
            ? t("fromPrice", {
                price: formatMoney(locale, d.cheapest.amount, d.cheapest.currency, { compact: true }),
              })
            : t("noSailingShort");
          const body = (
            <span aria-hidden="true">
              <span className="block text-xs font-medium uppercase">{parts.weekday}</span>
              <span className="block text-lg font-bold leading-tight">
                {parts.day} <span className="text-sm font-medium">{parts.month}</span>
              </span>
              <span className="block text-xs">{price}</span>
            </span>
          );
          const base = "block h-full rounded-xl border-2 px-1 py-2 text-center sm:min-w-24 sm:px-2";
          const fullLabel = `${formatIsoDate(locale, d.date)}, ${price}`;
          if (d.date === current) {
            return (
              <li key={d.date} className={outer}>
                <span aria-current="date" className={`${base} border-sea-700 bg-sea-700 text-white`}>
                  <span className="sr-only">{fullLabel}</span>
                  {body}
                </span>
              </li>
            );
          }
          if (!d.cheapest) {
            return (
              <li key={d.date} className={outer}>
                <span className={`${base} border-slate-200 bg-slate-100 text-slate-600`}>
                  <span className="sr-only">{fullLabel}</span>
                  {body}
                </span>
              </li>
            );
          }
          return (
            <li key={d.date} className={outer}>
              <Link
                href={{ pathname: "/search", query: hrefFor(d.date) }}
                className={`${base} border-sea-100 bg-white text-sea-900 hover:border-sea-600`}
              >
                <span className="sr-only">{fullLabel}</span>
                {body}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
