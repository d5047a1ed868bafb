"use client";

import type { ReactNode } from "react";
import { useLocale, useTranslations } from "next-intl";
import { formatShortDate, formatTime, isolateName, zoneOffset } from "@/shared/format";
import { formatMoney } from "@/shared/money";
import { usePortNames } from "@/components/port-names";
import type { BookingView } from "./booking-view";

export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations("manage.status");
  const colour =
    status === "CONFIRMED"
      ? "bg-emerald-700 text-white"
      : status === "PENDING_PAYMENT" || status === "CONFIRMING"
        ? "bg-amber-200 text-slate-900"
        : "bg-slate-700 text-white";
  return (
    <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${colour}`}>
      {t.has(status) ? t(status as "CONFIRMED") : status}
    </span>
  );
}

/** A departure or an arrival: the port's own date and time, said to be local, with its UTC offset. */
function Moment(props: { label: string; at: Date; timeZone: string; localTime: string }) {
  const locale = useLocale();
  const { at, timeZone } = props;
  return (
    <div>
      <dt className="text-sm text-slate-700">{props.label}</dt>
      <dd className="font-semibold">
        {formatShortDate(locale, at, timeZone)}{" "}
        <span className="tabular-nums">{formatTime(locale, at, timeZone)}</span>{" "}
        <span className="text-sm font-normal text-slate-700">
          {props.localTime} <span dir="ltr">({zoneOffset(locale, at, timeZone)})</span>
        </span>
      </dd>
    </div>
  );
}

/** One titled part of the details: the section is labelled by its own heading. */
function Part({
  id,
  title,
  level,
  children,
}: {
  id: string;
  title: string;
  level: "h2" | "h3";
  children: ReactNode;
}) {
  const H = level;
  return (
    <section aria-labelledby={id}>
      <H id={id} className="text-lg font-bold text-sea-900">
        {title}
      </H>
      {children}
    </section>
  );
}

/** Everything a traveller should see about their booking: itinerary in local times, party, prices, payments. */
export function BookingDetails({
  booking: b,
  headingLevel = 2,
}: {
  booking: BookingView;
  headingLevel?: 2 | 3;
}) {
  const t = useTranslations("manage.details");
  const tb = useTranslations("book");
  const locale = useLocale();
  const names = usePortNames();
  const H = headingLevel === 2 ? "h2" : "h3";
  const money = (amount: number, currency: string) => formatMoney(locale, amount, currency);
  // Labelled from the line's kind and codes, in the page's language.
  const lineLabel = (l: BookingView["priceLines"][number], unit: string) => {
    const { quantity } = l;
    if (l.kind === "PASSENGER" && l.passengerType && l.accommodation)
      return `${tb(`lines.${l.passengerType}`, { count: quantity, unit })} · ${tb(`accommodation.${l.accommodation}`)}`;
    if (l.kind === "VEHICLE" && l.vehicleType)
      return tb("lines.vehicle", { type: tb(`vehicle.types.${l.vehicleType}`) });
    if (l.kind === "PET") return tb("lines.pet", { count: quantity, unit });
    if (l.kind === "FEE") return tb("lines.fee");
    return quantity > 1 ? `${l.description} × ${quantity}` : l.description;
  };
  return (
    <div className="grid gap-6">
      <Part id="itinerary-title" title={t("itinerary")} level={H}>
        <ol className="mt-2 grid gap-3">
          {b.legs.map((l) => (
            <li key={l.direction} className="rounded-xl border border-sea-100 bg-white p-4">
              <p className="font-bold">
                {tb(`legHeading.${l.direction === "OUTBOUND" ? "out" : "ret"}`, {
                  from: names.city(l.from.code),
                  to: names.city(l.to.code),
                })}
              </p>
              <dl className="mt-2 grid gap-2 sm:grid-cols-2">
                <Moment
                  label={t("departs", { port: names.name(l.from.code) })}
                  at={l.departureAt}
                  timeZone={l.from.timeZone}
                  localTime={tb("localTime", { city: names.city(l.from.code) })}
                />
                <Moment
                  label={t("arrives", { port: names.name(l.to.code) })}
                  at={l.arrivalAt}
                  timeZone={l.to.timeZone}
                  localTime={tb("localTime", { city: names.city(l.to.code) })}
                />
              </dl>
              <p className="mt-2 text-sm text-slate-700">
                <bdi>{l.operator.name}</bdi> · {tb("ship", { vessel: isolateName(l.vessel) })} ·{" "}
                {tb(`accommodation.${l.accommodation as "DECK"}`)}
              </p>
              {l.operatorReference ? (
                <p className="mt-1 text-sm text-slate-700">
                  {t("operatorReference", { operator: l.operator.name })}{" "}
                  <bdi className="font-mono font-semibold">{l.operatorReference}</bdi>
                </p>
              ) : null}
              {l.sailingStatus === "CANCELLED" ? (
                <p className="mt-2 font-semibold text-coral-700">{t("sailingCancelled")}</p>
              ) : null}
            </li>
          ))}
        </ol>
      </Part>

      <Part id="party-title" title={t("party")} level={H}>
        <ul className="mt-2 grid gap-1">
          {b.passengers.map((p) => (
            <li key={p.id}>
              {p.firstName} {p.lastName}{" "}
              <span className="text-sm text-slate-700">({t(`passengerType.${p.type as "adult"}`)})</span>
            </li>
          ))}
          {b.vehicle ? (
            <li>
              {tb(`vehicle.types.${b.vehicle.type as "car"}`)} ·{" "}
              <span dir="ltr" className="font-mono">
                {b.vehicle.registration}
              </span>
            </li>
          ) : null}
          {b.pets ? <li>{tb("party.pets", { count: b.pets })}</li> : null}
        </ul>
      </Part>

      <Part id="prices-title" title={t("prices")} level={H}>
        <table className="mt-2 w-full text-sm">
          <thead>
            <tr className="border-b border-slate-300 text-start">
              <th scope="col" className="py-1 text-start">
                {t("item")}
              </th>
              <th scope="col" className="py-1 text-end">
                {t("amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {b.priceLines.map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id in the view and never reorder.
              <tr key={i} className="border-b border-slate-200">
                <td className="py-1">
                  <span className="text-slate-700">{t(`direction.${l.direction as "OUTBOUND"}`)}: </span>
                  {lineLabel(l, money(l.unitAmount, l.currency))}
                </td>
                <td className="py-1 text-end tabular-nums">{money(l.amount, l.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="font-bold">
              <th scope="row" className="py-2 text-start">
                {t("total")}
              </th>
              <td className="py-2 text-end text-lg tabular-nums">
                {money(b.total.amount, b.total.currency)}
              </td>
            </tr>
          </tfoot>
        </table>
      </Part>

      {b.payments.length || b.refunds.length ? (
        <Part id="payments-title" title={t("payments")} level={H}>
          <ul className="mt-2 grid gap-1 text-sm">
            {b.payments.map((p) => (
              <li key={p.id}>
                {t("payment", {
                  date: formatShortDate(
                    locale,
                    p.createdAt,
                    Intl.DateTimeFormat().resolvedOptions().timeZone,
                  ),
                  amount: money(p.amount, p.currency),
                })}{" "}
                — <strong>{t(`paymentStatus.${p.status as "PENDING"}`)}</strong>
              </li>
            ))}
            {b.refunds.map((r) => (
              <li key={r.id}>
                {t("refund", { amount: money(r.amount, r.currency) })} —{" "}
                <strong>{t(`refundStatus.${r.status as "PENDING"}`)}</strong>
              </li>
            ))}
          </ul>
        </Part>
      ) : null}
    </div>
  );
}
