import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { BookingFlow } from "@/components/booking/booking-flow";
import type { BookingPageData, TripLegView, VehicleClassView } from "@/components/booking/booking-types";
import { countryOptions } from "@/components/booking/countries";
import {
  formatIsoDate,
  formatMoney,
  formatNumber,
  formatShortDate,
  formatTime,
  isolateName,
  zoneOffset,
} from "@/components/format";
import { getPortNames } from "@/components/port-names-server";
import { Link } from "@/i18n/navigation";
import { VEHICLE_TYPES } from "@/server/db/schema/resources";
import { type BookingRequest, type LoadedLeg, loadTrip, parseBookingRequest, VEHICLES } from "./load-trip";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({
  params,
}: {
  params: Promise<{ locale: string }>;
}): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "book" });
  // Personal, short-lived pages: keep them out of search engines.
  return { title: t("title"), robots: { index: false } };
}

function daysBetween(a: string, b: string) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

export default async function BookPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: SearchParams;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("book");
  const req = parseBookingRequest(await searchParams);
  if (!req) return <Problem title={t("invalid.title")} body={t("invalid.body")} />;

  const loaded = await loadTrip(req);
  const names = await getPortNames();
  const searchQuery = (legs: LoadedLeg[]): Record<string, string> => {
    const out = legs.find((l) => l.key === "out");
    const ret = legs.find((l) => l.key === "ret");
    if (!out) return {};
    return {
      from: out.route.from,
      to: out.route.to,
      date: out.route.date,
      ...(ret ? { return: ret.route.date } : {}),
      adults: String(req.adults),
      children: String(req.children),
      infants: String(req.infants),
      ...(req.vehicle ? { vehicle: req.vehicle } : {}),
      pets: String(req.pets),
    };
  };
  if (!loaded.ok) {
    const query = searchQuery(loaded.legs);
    return loaded.reason === "notFound" ? (
      <Problem title={t("invalid.title")} body={t("invalid.body")} />
    ) : (
      <Problem title={t("closed.title")} body={t("closed.body")} searchQuery={query} />
    );
  }

  const metres = (cm: number) =>
    t("metres", {
      value: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
        cm / 100,
      ),
    });
  const vehicleClasses: VehicleClassView[] = VEHICLES.map((type) => ({
    type,
    label: t(`vehicle.types.${type}`),
    limits: t("vehicle.limits", {
      height: metres(VEHICLE_TYPES[type].maxHeightCm),
      length: metres(VEHICLE_TYPES[type].maxLengthCm),
    }),
    maxHeightCm: VEHICLE_TYPES[type].maxHeightCm,
    maxLengthCm: VEHICLE_TYPES[type].maxLengthCm,
  }));
  const vehicleLabel = req.vehicle ? t(`vehicle.types.${req.vehicle}`) : "";

  const legs: TripLegView[] = loaded.legs.map((l) => {
    const s = l.sailing!;
    const option = s.options.find((o) => o.accommodation === l.accommodation);
    const currency = option?.total.currency ?? "EUR";
    const money = (amount: number) => formatMoney(locale, amount, currency);
    let problem: string | null = null;
    if (s.cancelled) problem = t("problems.cancelled");
    else if (!option) problem = t("problems.notSold");
    else if (!option.available) problem = t(`problems.${option.limitedBy ?? "other"}`);
    const endpoint = (instant: Date, timeZone: string, code: string) => ({
      time: formatTime(locale, instant, timeZone),
      date: formatShortDate(locale, instant, timeZone),
      zone: t("localTime", { city: names.city(code) }),
      offset: zoneOffset(locale, instant, timeZone),
      port: names.name(code),
    });
    const shift = daysBetween(
      localDate(s.departureAt, s.departureTimeZone),
      localDate(s.arrivalAt, s.arrivalTimeZone),
    );
    return {
      key: l.key,
      sailingId: s.id,
      accommodation: l.accommodation,
      heading: t(`legHeading.${l.key}`, { from: names.city(s.from.code), to: names.city(s.to.code) }),
      dep: endpoint(s.departureAt, s.departureTimeZone, s.from.code),
      arr: endpoint(s.arrivalAt, s.arrivalTimeZone, s.to.code),
      dayShift: shift > 0 ? t("dayShift", { days: shift }) : "",
      duration: t("duration", {
        hours: formatNumber(locale, Math.floor(s.durationMinutes / 60)),
        minutes: formatNumber(locale, s.durationMinutes % 60, 2),
      }),
      operator: s.operator.name,
      vessel: t("ship", { vessel: isolateName(s.vessel.name) }),
      accommodationLabel: t(`accommodation.${l.accommodation}`),
      accommodationHint: t(`accommodationHint.${l.accommodation}`),
      lines: option
        ? [
            ...option.perPassenger.map((p) => ({
              label: t(`lines.${p.type}`, { count: p.count, unit: money(p.unitAmount) }),
              amount: money(p.amount),
            })),
            ...option.extras.map((e) => ({
              label:
                e.kind === "vehicle"
                  ? t("lines.vehicle", { type: vehicleLabel })
                  : t("lines.pet", { count: e.quantity, unit: money(e.unitAmount) }),
              amount: money(e.amount),
            })),
          ]
        : [],
      total: option ? money(option.total.amount) : "—",
      amount: option?.total.amount ?? 0,
      currency,
      problem,
    };
  });
  const currencies = new Set(legs.map((l) => l.currency));
  const total =
    currencies.size === 1 && legs.every((l) => !l.problem || l.amount > 0)
      ? formatMoney(
          locale,
          legs.reduce((sum, l) => sum + l.amount, 0),
          [...currencies][0] as string,
        )
      : null;

  const partyLabel = new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(
    [
      t("party.adults", { count: req.adults }),
      req.children ? t("party.children", { count: req.children }) : "",
      req.infants ? t("party.infants", { count: req.infants }) : "",
      req.vehicle ? t(`party.vehicle.${req.vehicle}`) : "",
      req.pets ? t("party.pets", { count: req.pets }) : "",
    ].filter(Boolean),
  );
  const policies = [...new Set(loaded.legs.map((l) => l.route.refundPolicy))];
  const out = loaded.legs[0]!;
  const data: BookingPageData = {
    request: requestView(req),
    legs,
    total,
    partyLabel,
    departureDate: out.route.date,
    departureLabel: formatIsoDate(locale, out.route.date),
    international: loaded.legs.some((l) => l.sailing?.international),
    policy: policies.map((p) => t(`policy.${p}`)).join(" "),
    searchQuery: searchQuery(loaded.legs),
    countries: countryOptions(locale),
    vehicleClasses,
  };

  return (
    <main id="main" className="mx-auto max-w-6xl px-4 pt-6 pb-28 lg:pb-10">
      <h1 className="mb-1 text-2xl font-bold text-sea-900 md:text-3xl">{t("title")}</h1>
      <p className="mb-6 text-slate-700">{t("intro")}</p>
      <BookingFlow data={data} />
    </main>
  );
}

function requestView(r: BookingRequest): BookingPageData["request"] {
  return {
    out: `${r.out.sailingId}:${r.out.accommodation}`,
    ret: r.ret ? `${r.ret.sailingId}:${r.ret.accommodation}` : null,
    adults: r.adults,
    children: r.children,
    infants: r.infants,
    vehicle: r.vehicle,
    pets: r.pets,
  };
}

async function Problem({
  title,
  body,
  searchQuery,
}: {
  title: string;
  body: string;
  searchQuery?: Record<string, string>;
}) {
  const t = await getTranslations("book");
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="text-2xl font-bold text-sea-900">{title}</h1>
      <p className="mt-3 text-slate-800">{body}</p>
      <p className="mt-6">
        <Link
          href={
            searchQuery && Object.keys(searchQuery).length ? { pathname: "/search", query: searchQuery } : "/"
          }
          className="inline-flex rounded-full bg-coral-600 px-6 py-3 font-semibold text-white hover:bg-coral-700"
        >
          {t("searchAgain")}
        </Link>
      </p>
    </main>
  );
}
