"use client";

import { useTranslations } from "next-intl";
import type { PassengerType } from "@/shared/constants";
import { normaliseRegistration } from "@/shared/validation";
import type { BookingFormValues } from "../booking-schema";
import type { BookingPageData, VehicleClassView } from "../booking-types";
import { Alert, buttonPrimary } from "../form-fields";
import { LegCard } from "../leg-card";
import { isolate } from "./steps";

/** Step 5: every price line, the party, the contact and the refund policy, then hold the places. */
export function StepReview({
  data,
  values,
  vehicleClass,
  passengerLabel,
  submitError,
  submitting,
  onSubmit,
}: {
  data: BookingPageData;
  values: BookingFormValues;
  vehicleClass: VehicleClassView | null;
  passengerLabel: (type: PassengerType, i: number) => string;
  submitError: string | null;
  submitting: boolean;
  onSubmit: () => void;
}) {
  const t = useTranslations("book.review");
  const blocked = data.legs.some((l) => l.problem);
  return (
    <div className="grid gap-5">
      {data.legs.map((leg) => (
        <section key={leg.key} aria-label={leg.heading} className="grid gap-2">
          <LegCard leg={leg} />
          <table className="w-full text-sm">
            <caption className="sr-only">{t("pricesFor", { leg: leg.heading })}</caption>
            <thead className="sr-only">
              <tr>
                <th scope="col">{t("item")}</th>
                <th scope="col">{t("amount")}</th>
              </tr>
            </thead>
            <tbody>
              {leg.lines.map((l) => (
                <tr key={l.label} className="border-b border-slate-200">
                  <td className="py-1">{l.label}</td>
                  <td className="py-1 text-end tabular-nums">{l.amount}</td>
                </tr>
              ))}
              <tr className="font-semibold">
                <th scope="row" className="py-1 text-start">
                  {t("legTotal")}
                </th>
                <td className="py-1 text-end tabular-nums">{leg.total}</td>
              </tr>
            </tbody>
          </table>
        </section>
      ))}
      <div className="flex items-baseline justify-between rounded-xl bg-sea-50 p-3">
        <span className="font-bold">{t("total")}</span>
        <span className="text-2xl font-bold tabular-nums text-sea-900">{data.total}</span>
      </div>
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="font-semibold">{t("passengers")}</dt>
          <dd>
            <ul>
              {values.passengers.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed party, index is the identity.
                <li key={i}>
                  {p.firstName} {p.lastName} ({passengerLabel(p.type, i)})
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt className="font-semibold">{t("vehicle")}</dt>
          <dd>
            {vehicleClass
              ? `${vehicleClass.label} · ${isolate(normaliseRegistration(values.vehicle.registration))}`
              : t("noVehicle")}
          </dd>
          {vehicleClass ? <dd className="text-slate-700">{vehicleClass.limits}</dd> : null}
          {data.request.pets ? <dd>{t("pets", { count: data.request.pets })}</dd> : null}
        </div>
        <div>
          <dt className="font-semibold">{t("contact")}</dt>
          <dd>
            <bdi>{values.contact.email}</bdi>
          </dd>
          {values.contact.phone ? (
            <dd>
              <bdi>{values.contact.phone}</bdi>
            </dd>
          ) : null}
        </div>
      </dl>
      <section
        aria-labelledby="policy-title"
        className="rounded-xl border border-slate-200 bg-white p-3 text-sm"
      >
        <h3 id="policy-title" className="font-semibold">
          {t("policyTitle")}
        </h3>
        <p>{data.policy}</p>
        <p className="mt-1 text-slate-700">{t("holdNote")}</p>
      </section>
      {submitError ? <Alert title={t("failed")}>{submitError}</Alert> : null}
      <div>
        <button type="button" className={buttonPrimary} onClick={onSubmit} disabled={submitting || blocked}>
          {submitting ? t("holding") : t("submit")}
        </button>
      </div>
    </div>
  );
}
