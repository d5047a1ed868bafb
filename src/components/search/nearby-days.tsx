import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { formatIsoDate } from "@/shared/format";
import { formatMoney } from "@/shared/money";
import type { StripDay } from "./day-strip";

/**
 * The empty state: nothing sails that day, or nothing has room for this party. Rather than a dead end it offers
 * the nearest days that do (checked against availability when the problem was space).
 */
export async function NearbyDays({
  locale,
  kind,
  route,
  date,
  suggestions,
  hrefFor,
}: {
  locale: string;
  kind: "empty" | "full";
  route: { from: string; to: string };
  date: string;
  suggestions: StripDay[];
  hrefFor: (date: string) => Record<string, string>;
}) {
  const t = await getTranslations("search.results");
  const when = formatIsoDate(locale, date);
  return (
    <div className="mt-4 rounded-2xl border-2 border-dashed border-sea-600 bg-white p-5">
      <h3 className="text-lg font-bold text-sea-900">{t(`${kind}.title`)}</h3>
      <p className="mt-1">
        {kind === "empty" ? t("empty.body", { ...route, date: when }) : t("full.body", { date: when })}
      </p>
      {suggestions.length ? (
        <>
          <p className="mt-3 font-medium">{t(`${kind}.suggest`)}</p>
          <ul className="mt-2 flex flex-wrap gap-2">
            {suggestions.map((d) => (
              <li key={d.date}>
                <Link
                  href={{ pathname: "/search", query: hrefFor(d.date) }}
                  className="inline-block rounded-full border-2 border-sea-700 px-4 py-2 font-semibold text-sea-700 hover:bg-sea-50"
                >
                  {formatIsoDate(locale, d.date, "short")}
                  {d.cheapest ? (
                    <span className="ms-2 font-normal">
                      {t("fromPrice", {
                        price: formatMoney(locale, d.cheapest.amount, d.cheapest.currency, { compact: true }),
                      })}
                    </span>
                  ) : null}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="mt-3">{t("empty.none")}</p>
      )}
    </div>
  );
}
