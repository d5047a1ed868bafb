import type { PortNames } from "@/components/port-names";
import type { SailingResult } from "@/server/features/search/sailings";
import { daysBetween, localDate } from "@/shared/dates";
import { formatNumber, formatShortDate, formatTime, isolateName, zoneOffset } from "@/shared/format";
import { formatMoney } from "@/shared/money";
import type { SailingId } from "@/shared/sailing-id";

/**
 * What a results card shows, formatted once on the server. The client component then only sorts and selects,
 * so the browser never re-formats dates (no hydration drift between Node's and Chromium's ICU) and the
 * client bundle carries no formatting logic.
 */
export interface OptionView {
  /** `<sailingId>:<ACCOMMODATION>`, the booking page's format. */
  value: string;
  label: string;
  hint: string;
  price: string;
  amount: number;
  currency: string;
  available: boolean;
  /** "Only 3 cabins left" when few remain. */
  scarcity: string | null;
  /** Why it cannot be chosen. */
  reason: string | null;
  lines: { label: string; amount: string }[];
}

export interface EndpointView {
  time: string;
  date: string;
  zone: string;
  offset: string;
  timeZone: string;
}

export interface SailingView {
  id: SailingId;
  /** Sold from Traverse's inventory or through the operator's own system; both show their operator. */
  source: "own" | "connected";
  departureTs: number;
  durationMinutes: number;
  /** Cheapest option the party can take, for sorting by price; null when none. */
  bestAmount: number | null;
  dep: EndpointView;
  arr: EndpointView;
  dayShift: number;
  dayShiftShort: string;
  dayShiftLong: string;
  duration: string;
  operator: string;
  vessel: string;
  status: string | null;
  options: OptionView[];
}

// Below these, the traveller should know the class is about to go (cabins are counted whole).
const FEW_PLACES = 20;
const FEW_CABINS = 5;

type T = (key: string, values?: Record<string, string | number>) => string;

export function toSailingView(
  s: SailingResult,
  ctx: { locale: string; t: T; names: PortNames; vehicleLabel: string | null },
): SailingView {
  const { locale, t, names } = ctx;
  const endpoint = (instant: Date, timeZone: string, code: string): EndpointView => ({
    time: formatTime(locale, instant, timeZone),
    date: formatShortDate(locale, instant, timeZone),
    zone: t("results.localTime", { city: names.city(code) }),
    offset: zoneOffset(locale, instant, timeZone),
    timeZone,
  });
  const dayShift = daysBetween(
    localDate(s.departureAt, s.departureTimeZone),
    localDate(s.arrivalAt, s.arrivalTimeZone),
  );
  const money = (amount: number, currency: string) => formatMoney(locale, amount, currency);
  const options = s.options.map((o): OptionView => {
    const few = o.unit === "cabin" ? FEW_CABINS : FEW_PLACES;
    let reason: string | null = null;
    if (s.cancelled) reason = t("results.unavailable.cancelled");
    else if (!o.available) {
      const key = o.limitedBy ?? "other";
      reason = t(`results.unavailable.${key}`);
    }
    return {
      value: `${s.id}:${o.accommodation}`,
      label: t(`results.accommodation.${o.accommodation}`),
      hint: t(`results.accommodationHint.${o.accommodation}`),
      price: money(o.total.amount, o.total.currency),
      amount: o.total.amount,
      currency: o.total.currency,
      available: o.available && !s.cancelled,
      scarcity:
        o.available && o.remaining > 0 && o.remaining <= few
          ? t(o.unit === "cabin" ? "results.cabinsLeft" : "results.placesLeft", { count: o.remaining })
          : null,
      reason,
      lines: [
        ...o.perPassenger.map((p) => ({
          label: t(`results.lines.${p.type}`, {
            count: p.count,
            unit: money(p.unitAmount, o.total.currency),
          }),
          amount: money(p.amount, o.total.currency),
        })),
        ...o.extras.map((e) => ({
          label:
            e.kind === "vehicle"
              ? t("results.lines.vehicle", { type: ctx.vehicleLabel ?? "" })
              : t("results.lines.pet", { count: e.quantity, unit: money(e.unitAmount, o.total.currency) }),
          amount: money(e.amount, o.total.currency),
        })),
      ],
    };
  });
  const bookable = options.filter((o) => o.available);
  const hours = Math.floor(s.durationMinutes / 60);
  const minutes = s.durationMinutes % 60;
  return {
    id: s.id,
    source: s.source,
    departureTs: s.departureAt.getTime(),
    durationMinutes: s.durationMinutes,
    bestAmount: bookable.length ? Math.min(...bookable.map((o) => o.amount)) : null,
    dep: endpoint(s.departureAt, s.departureTimeZone, s.from.code),
    arr: endpoint(s.arrivalAt, s.arrivalTimeZone, s.to.code),
    dayShift,
    dayShiftShort: dayShift > 0 ? t("results.dayShift", { days: dayShift }) : "",
    dayShiftLong: dayShift > 0 ? t("results.dayShiftLong", { days: dayShift }) : "",
    duration: t("results.duration", {
      hours: formatNumber(locale, hours),
      minutes: formatNumber(locale, minutes, 2),
    }),
    operator: s.operator.name,
    vessel: t("results.ship", { vessel: isolateName(s.vessel.name) }),
    status: s.cancelled ? t("results.cancelled") : s.soldOut ? t("results.soldOut") : null,
    options,
  };
}
