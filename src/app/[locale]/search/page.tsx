import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { DayStrip, type StripDay } from "@/components/day-strip";
import { formatIsoDate } from "@/shared/format";
import { NearbyDays } from "@/components/nearby-days";
import { getPortNames } from "@/components/port-names-server";
import { toSailingView } from "@/components/sailing-view";
import { SearchForm } from "@/components/search-form";
import {
  addDays,
  daysBetween,
  type FieldErrors,
  type PortOption,
  parseSearchParams,
  partyQuery,
  type SearchFormValues,
  searchQuery,
  searchSchema,
  todayAt,
  validateSearch,
} from "@/components/search-query";
import { type LegProps, type SortKey, TripPlanner } from "@/components/trip-planner";
import { serverApi } from "@/trpc/server";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
type Api = Awaited<ReturnType<typeof serverApi>>;
type Leg = { key: "out" | "ret"; from: string; to: string; date: string };

// How far the empty state looks for other days, and how many it proposes.
const STRIP_RADIUS = 3;
const SUGGEST_RADIUS = 21;
const SUGGESTIONS = 4;

export async function generateMetadata({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: SearchParams;
}): Promise<Metadata> {
  const { locale } = await params;
  const v = parseSearchParams(await searchParams);
  const t = await getTranslations({ locale, namespace: "meta" });
  const names = await getPortNames();
  if (!v.from || !v.to || !/^\d{4}-\d{2}-\d{2}$/.test(v.date)) return { title: t("searchFallbackTitle") };
  const values = {
    from: names.city(v.from),
    to: names.city(v.to),
    date: formatIsoDate(locale, v.date, "short"),
  };
  return {
    title: t("searchTitle", values),
    description: t("searchDescription", values),
    // Searches are personal and endless in number; keep them out of indexes.
    robots: { index: false },
  };
}

/** The calendar months (YYYY-MM) that a range of days touches. */
function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  for (
    let d = `${start.slice(0, 7)}-01`;
    d.slice(0, 7) <= end.slice(0, 7);
    d = addDays(`${d.slice(0, 7)}-28`, 4)
  )
    months.push(d.slice(0, 7));
  return months;
}

function badRequest(e: unknown): TRPCError | null {
  return e instanceof TRPCError && e.code === "BAD_REQUEST" ? e : null;
}

async function loadLeg(api: Api, leg: Leg, v: SearchFormValues) {
  const input = {
    from: leg.from,
    to: leg.to,
    date: leg.date,
    passengers: { adults: v.adults, children: v.children, infants: v.infants },
    vehicle: v.vehicle === "none" ? undefined : { type: v.vehicle },
    pets: v.pets,
  };
  // Sailings and the calendar months for the day strip and the empty state go out together: one round of
  // queries, no waterfall. Calendar failures only cost the strip, never the results.
  const months = monthsBetween(addDays(leg.date, -SUGGEST_RADIUS), addDays(leg.date, SUGGEST_RADIUS));
  const [sailings, ...calendars] = await Promise.allSettled([
    api.search.sailings(input),
    ...months.map((month) => api.search.calendar({ from: leg.from, to: leg.to, month })),
  ]);
  const days = new Map<string, StripDay>();
  for (const c of calendars) if (c.status === "fulfilled") for (const d of c.value.days) days.set(d.date, d);
  if (sailings.status === "rejected") return { leg, error: sailings.reason as unknown, days, input };
  return { leg, result: sailings.value, days, input };
}

export default async function SearchPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: SearchParams;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const sp = await searchParams;
  const values = parseSearchParams(sp);
  const t = await getTranslations("search");
  const api = await serverApi();
  const portList = await api.search.ports();
  const ports: PortOption[] = portList.map(({ code, timeZone, destinations }) => ({
    code,
    timeZone,
    destinations,
  }));
  const names = await getPortNames(new Map(portList.map((p) => [p.code, p.name])));

  const schema = searchSchema({
    ports,
    msg: (key, v) => t(`form.errors.${key}`, v),
    portName: names.name,
    cityName: names.city,
  });
  const invalid = validateSearch(schema, values);
  if (invalid) return <SearchError values={values} ports={ports} errors={invalid} />;

  const legs: Leg[] = [{ key: "out", from: values.from, to: values.to, date: values.date }];
  if (values.trip === "return")
    legs.push({ key: "ret", from: values.to, to: values.from, date: values.returnDate });
  const loaded = await Promise.all(legs.map((leg) => loadLeg(api, leg, values)));

  // A rule only the server knows (e.g. the published horizon) rejected the search: show it on the form.
  const serverErrors: FieldErrors = {};
  for (const l of loaded) {
    if (!("error" in l)) continue;
    const e = badRequest(l.error);
    if (!e) throw l.error;
    const details = (e.cause as { details?: { field?: string; horizon?: string | null } } | undefined)
      ?.details;
    let field = (details?.field ?? "date") as keyof SearchFormValues;
    if (l.leg.key === "ret" && field === "date") field = "returnDate";
    serverErrors[field] ??= details?.horizon
      ? t("form.errors.horizon", { date: formatIsoDate(locale, details.horizon) })
      : e.message;
  }
  if (Object.keys(serverErrors).length)
    return <SearchError values={values} ports={ports} errors={serverErrors} />;

  const vehicleLabel = values.vehicle === "none" ? null : t(`form.vehicleTypes.${values.vehicle}`);
  const party = new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(
    [
      t("results.party.adults", { count: values.adults }),
      values.children ? t("results.party.children", { count: values.children }) : "",
      values.infants ? t("results.party.infants", { count: values.infants }) : "",
      values.vehicle !== "none" ? t(`results.party.vehicle.${values.vehicle}`) : "",
      values.pets ? t("results.party.pets", { count: values.pets }) : "",
    ].filter(Boolean),
  );

  const legProps: LegProps[] = await Promise.all(
    loaded.map(async (l): Promise<LegProps> => {
      const { leg, days } = l;
      const sailings = "result" in l && l.result ? l.result.sailings : [];
      const hrefFor = (date: string) =>
        leg.key === "out"
          ? // Moving the outbound past the return would make an impossible trip: carry the return along.
            searchQuery(values, { date, returnDate: values.returnDate < date ? date : values.returnDate })
          : searchQuery(values, { returnDate: date });
      const today = todayAt(ports.find((p) => p.code === leg.from)?.timeZone ?? "UTC");
      const strip: StripDay[] = [];
      for (let i = -STRIP_RADIUS; i <= STRIP_RADIUS; i++) {
        const date = addDays(leg.date, i);
        // The return strip never offers days before the outbound date.
        const floor = leg.key === "ret" ? values.date : today;
        const day = days.get(date) ?? { date, cheapest: null, sailings: 0 };
        strip.push(date < floor ? { ...day, cheapest: null, sailings: 0 } : day);
      }
      const views = sailings.map((s) => toSailingView(s, { locale, t: t as never, names, vehicleLabel }));
      const bookable = views.some((v) => v.bestAmount !== null);
      let notice: React.ReactNode = null;
      if (!bookable) {
        const kind = views.length ? "full" : "empty";
        const floor = leg.key === "ret" ? values.date : today;
        const candidates = [...days.values()]
          .filter((d) => d.sailings > 0 && d.date !== leg.date && d.date >= floor)
          .sort((a, b) => Math.abs(daysBetween(leg.date, a.date)) - Math.abs(daysBetween(leg.date, b.date)));
        let suggestions = candidates.slice(0, SUGGESTIONS);
        if (kind === "full") {
          // The calendar knows where ships sail, not where there is room for this party: check the nearest few.
          const checked = await Promise.all(
            candidates.slice(0, SUGGESTIONS + 2).map(async (d) => {
              try {
                const r = await api.search.sailings({ ...l.input, date: d.date });
                return r.sailings.some((s) => s.options.some((o) => o.available)) ? d : null;
              } catch {
                return null;
              }
            }),
          );
          suggestions = checked.filter((d): d is StripDay => d !== null).slice(0, SUGGESTIONS);
        }
        suggestions.sort((a, b) => a.date.localeCompare(b.date));
        notice = (
          <NearbyDays
            locale={locale}
            kind={kind}
            route={{ from: names.name(leg.from), to: names.name(leg.to) }}
            date={leg.date}
            suggestions={suggestions}
            hrefFor={hrefFor}
          />
        );
      }
      const legName = leg.key === "out" ? t("results.outbound") : t("results.return");
      return {
        key: leg.key,
        headingId: `leg-${leg.key}`,
        heading: `${t("results.legHeading", { leg: legName, from: names.city(leg.from), to: names.city(leg.to) })} · ${formatIsoDate(locale, leg.date)}`,
        status: t("results.count", { count: sailings.length, date: formatIsoDate(locale, leg.date) }),
        strip: (
          <DayStrip
            locale={locale}
            days={strip}
            current={leg.date}
            hrefFor={hrefFor}
            labelId={`strip-${leg.key}`}
          />
        ),
        notice,
        sailings: views,
      };
    }),
  );

  const sort = (["departure", "price", "duration"] as const).find((k) => k === sp.sort) ?? "departure";

  return (
    <main id="main" className="mx-auto max-w-6xl px-4 pt-6">
      <h1 className="text-2xl font-bold text-sea-900 md:text-3xl">
        {t("results.heading", { from: names.name(values.from), to: names.name(values.to) })}
      </h1>
      <p className="mt-1 text-slate-700">
        {values.trip === "return" ? t("results.roundTrip") : t("results.oneWay")} · {party}
      </p>
      <details className="mt-3 rounded-xl bg-sand-100 p-3 open:pb-5">
        <summary className="cursor-pointer font-semibold text-sea-700">{t("results.modify")}</summary>
        <div className="mt-4">
          <SearchForm ports={ports} defaultValues={values} />
        </div>
      </details>
      <div className="mt-6">
        <TripPlanner
          legs={legProps}
          initialSort={sort as SortKey}
          partyLabel={party}
          partyQuery={partyQuery(values)}
        />
      </div>
    </main>
  );
}

async function SearchError({
  values,
  ports,
  errors,
}: {
  values: SearchFormValues;
  ports: PortOption[];
  errors: FieldErrors;
}) {
  const t = await getTranslations("search.results.error");
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 pt-6">
      <h1 className="text-2xl font-bold text-sea-900">{t("title")}</h1>
      <div role="alert" className="mt-3 rounded-xl border-2 border-coral-600 bg-white p-4">
        <ul className="list-disc ps-5 font-medium text-coral-600">
          {Object.entries(errors).map(([field, message]) => (
            <li key={field}>{message}</li>
          ))}
        </ul>
        <p className="mt-2">{t("fix")}</p>
      </div>
      <div className="mt-6 rounded-2xl bg-sand-100 p-5">
        <SearchForm ports={ports} defaultValues={values} initialErrors={errors} />
      </div>
    </main>
  );
}
