import "server-only";
import { getTranslations } from "next-intl/server";
import { getPortNames } from "@/components/port-names-server";
import { VEHICLE_TYPES, vehicleTypes } from "@/shared/constants";
import { daysBetween, localDate } from "@/shared/dates";
import {
  formatDecimal,
  formatIsoDate,
  formatNumber,
  formatShortDate,
  formatTime,
  isolateName,
  zoneOffset,
} from "@/shared/format";
import { formatMoney } from "@/shared/money";
import type { BookingPageData, TripLegView, VehicleClassView } from "./booking-types";
import { countryOptions } from "./countries";
import type { BookingRequest, LoadedLeg } from "./load-trip";

type T = Awaited<ReturnType<typeof getTranslations<"book">>>;

/** The results page for this trip and party: where "change" and "search again" lead. */
export function searchQueryFor(req: BookingRequest, legs: LoadedLeg[]): Record<string, string> {
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
}

/**
 * Everything the booking steps show, formatted here on the server (dates in each port's zone, money,
 * translated labels) so the browser never re-formats and the two ICU builds cannot disagree.
 */
export async function bookingPageData(
  locale: string,
  req: BookingRequest,
  loaded: LoadedLeg[],
): Promise<BookingPageData> {
  const t = await getTranslations("book");
  const names = await getPortNames();
  const metres = (cm: number) => t("metres", { value: formatDecimal(locale, cm / 100, 2) });
  const vehicleClasses: VehicleClassView[] = vehicleTypes.map((type) => ({
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
  const legs = loaded.map((l) => legView(l, { locale, t, names, vehicleLabel }));
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
  const policies = [...new Set(loaded.map((l) => l.route.refundPolicy))];
  const out = loaded[0]!;
  return {
    request: {
      out: `${req.out.sailingId}:${req.out.accommodation}`,
      ret: req.ret ? `${req.ret.sailingId}:${req.ret.accommodation}` : null,
      adults: req.adults,
      children: req.children,
      infants: req.infants,
      vehicle: req.vehicle,
      pets: req.pets,
    },
    legs,
    total,
    partyLabel,
    departureDate: out.route.date,
    departureLabel: formatIsoDate(locale, out.route.date),
    international: loaded.some((l) => l.sailing?.international),
    policy: policies.map((p) => t(`policy.${p}`)).join(" "),
    searchQuery: searchQueryFor(req, loaded),
    countries: countryOptions(locale),
    vehicleClasses,
  };
}

function legView(
  l: LoadedLeg,
  ctx: { locale: string; t: T; names: Awaited<ReturnType<typeof getPortNames>>; vehicleLabel: string },
): TripLegView {
  const { locale, t, names } = ctx;
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
                ? t("lines.vehicle", { type: ctx.vehicleLabel })
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
}
