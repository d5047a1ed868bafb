import { getTranslations } from "next-intl/server";
import { getPortNames } from "@/components/port-names-server";
import { formatIsoDate } from "@/shared/format";
import { errorText } from "@/components/booking/error-text";
import { readAppError } from "@/trpc/errors";
import { serverApi } from "@/trpc/server";
import { legView } from "./leg-view";
import { loadLeg, searchLegs } from "./load-search";
import { SearchForm } from "./search-form";
import {
  type FieldErrors,
  type PortOption,
  parseSearchParams,
  partyQuery,
  type SearchFormValues,
  searchSchema,
  validateSearch,
} from "./search-query";
import { type SortKey, TripPlanner } from "./trip-planner";

type Params = Record<string, string | string[] | undefined>;

/** The page title for a search: "Tunis → Marseille, Mon 3 Mar"; searches stay out of indexes. */
export async function searchMetadata(locale: string, searchParams: Params) {
  const v = parseSearchParams(searchParams);
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

/**
 * The results for the search in the URL: each leg's sailings with a day strip, sortable and choosable; or the
 * search form with what is wrong, when the URL (or a rule only the server knows) does not allow the search.
 */
export async function SearchPage({ locale, searchParams }: { locale: string; searchParams: Params }) {
  const values = parseSearchParams(searchParams);
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

  const loaded = await Promise.all(searchLegs(values).map((leg) => loadLeg(api, leg, values)));

  // A rule only the server knows (e.g. the published horizon) rejected the search: show it on the form.
  const serverErrors: FieldErrors = {};
  for (const l of loaded) {
    if (!("error" in l)) continue;
    const p = readAppError(l.error);
    if (p.code !== "BAD_REQUEST") throw l.error;
    const horizon = typeof p.details.horizon === "string" ? p.details.horizon : null;
    let field = (p.field ?? "date") as keyof SearchFormValues;
    if (l.leg.key === "ret" && field === "date") field = "returnDate";
    serverErrors[field] ??= horizon
      ? t("form.errors.horizon", { date: formatIsoDate(locale, horizon) })
      : errorText(p, (await getTranslations("errors")) as never);
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
  const legs = await Promise.all(
    loaded.map((l) => legView(l, { api, locale, values, ports, names, vehicleLabel })),
  );
  const sort =
    (["departure", "price", "duration"] as const).find((k) => k === searchParams.sort) ?? "departure";

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
          legs={legs}
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
