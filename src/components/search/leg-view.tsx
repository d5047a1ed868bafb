import "server-only";
import { getTranslations } from "next-intl/server";
import type { PortNames } from "@/components/port-names";
import { todayAt } from "@/shared/dates";
import { formatIsoDate } from "@/shared/format";
import type { serverApi } from "@/trpc/server";
import { DayStrip } from "./day-strip";
import { type LoadedLeg, stripDays, suggestDays } from "./load-search";
import { NearbyDays } from "./nearby-days";
import { OperatorsNotice } from "./operators-notice";
import { toSailingView } from "./sailing-view";
import { type PortOption, type SearchFormValues, searchQuery } from "./search-query";
import type { LegProps } from "./trip-planner";

type Api = Awaited<ReturnType<typeof serverApi>>;

/**
 * One leg of the results as `TripPlanner` shows it: heading, day strip, the sailings formatted for the reader,
 * and — when nothing can be booked that day — the nearest days that can.
 */
export async function legView(
  l: LoadedLeg,
  ctx: {
    api: Api;
    locale: string;
    values: SearchFormValues;
    ports: PortOption[];
    names: PortNames;
    vehicleLabel: string | null;
  },
): Promise<LegProps> {
  const { api, locale, values, names } = ctx;
  const t = await getTranslations("search");
  const { leg, days } = l;
  const sailings = "result" in l && l.result ? l.result.sailings : [];
  const hrefFor = (date: string) =>
    leg.key === "out"
      ? // Moving the outbound past the return would make an impossible trip: carry the return along.
        searchQuery(values, { date, returnDate: values.returnDate < date ? date : values.returnDate })
      : searchQuery(values, { returnDate: date });
  const today = todayAt(ctx.ports.find((p) => p.code === leg.from)?.timeZone ?? "UTC");
  // The return strip never offers days before the outbound date.
  const floor = leg.key === "ret" ? values.date : today;
  const views = sailings.map((s) =>
    toSailingView(s, { locale, t: t as never, names, vehicleLabel: ctx.vehicleLabel }),
  );
  let notice: React.ReactNode = null;
  if (!views.some((v) => v.bestAmount !== null)) {
    const kind = views.length ? "full" : "empty";
    notice = (
      <NearbyDays
        locale={locale}
        kind={kind}
        route={{ from: names.name(leg.from), to: names.name(leg.to) }}
        date={leg.date}
        suggestions={await suggestDays(api, l, kind, floor)}
        hrefFor={hrefFor}
      />
    );
  }
  // Operators whose systems did not answer: their sailings are missing, which is not the same as none.
  const silent = ("result" in l && l.result ? l.result.operators : [])
    .filter((o) => o.status === "timeout" || o.status === "error" || o.status === "unavailable")
    .map((o) => o.name);
  notice = (
    <>
      <OperatorsNotice locale={locale} operators={silent} query={searchQuery(values)} />
      {notice}
    </>
  );
  const legName = leg.key === "out" ? t("results.outbound") : t("results.return");
  return {
    key: leg.key,
    headingId: `leg-${leg.key}`,
    heading: `${t("results.legHeading", { leg: legName, from: names.city(leg.from), to: names.city(leg.to) })} · ${formatIsoDate(locale, leg.date)}`,
    status: t("results.count", { count: sailings.length, date: formatIsoDate(locale, leg.date) }),
    strip: (
      <DayStrip
        locale={locale}
        days={stripDays(leg, days, floor)}
        current={leg.date}
        hrefFor={hrefFor}
        labelId={`strip-${leg.key}`}
      />
    ),
    notice,
    sailings: views,
  };
}
