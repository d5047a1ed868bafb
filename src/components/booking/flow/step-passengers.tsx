"use client";

import { useTranslations } from "next-intl";
import type { BookingPageData } from "../booking-types";
import { CodeField, SelectField, TextField } from "../form-fields";
import type { BookingForm } from "./use-booking-form";

/** A country list's options: the code is the value, the localized name the label. */
function countryOptions(countries: { code: string; name: string }[]) {
  return countries.map((c) => (
    <option key={c.code} value={c.code}>
      {c.name}
    </option>
  ));
}

/** Step 2: one fieldset per traveller, with the travel-document fields when the crossing is international. */
export function StepPassengers({
  data,
  booking,
  blockErrors,
}: {
  data: BookingPageData;
  booking: BookingForm;
  blockErrors: Record<string, string>;
}) {
  const t = useTranslations("book");
  const { form, errors, field, passengerLabel } = booking;
  return (
    <div className="grid gap-4">
      <p className="text-sm text-slate-700">{t("passengers.intro")}</p>
      {form.getValues("passengers").map((p, i) => {
        const pe = errors.passengers?.[i];
        const block = blockErrors[`passengers.${i}`];
        const legend = t("passengers.legend", { n: i + 1, who: passengerLabel(p.type, i) });
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the party is fixed for the page; index is the identity.
          <fieldset key={i} className="rounded-xl border border-slate-300 bg-white p-4">
            <legend className="px-1 font-bold text-sea-900">{legend}</legend>
            {block ? (
              <p className="mb-3 font-medium text-coral-700">
                <span aria-hidden="true">⚠ </span>
                {block}
              </p>
            ) : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                label={t("passengers.firstName")}
                autoComplete={i === 0 ? "given-name" : "off"}
                error={pe?.firstName?.message}
                {...field(`passengers.${i}.firstName`)}
              />
              <TextField
                label={t("passengers.lastName")}
                autoComplete={i === 0 ? "family-name" : "off"}
                error={pe?.lastName?.message}
                {...field(`passengers.${i}.lastName`)}
              />
              {p.type !== "adult" ? (
                <TextField
                  type="date"
                  label={t("passengers.dateOfBirth")}
                  hint={t(`passengers.ageRule.${p.type}`, { date: data.departureLabel })}
                  max={data.departureDate}
                  error={pe?.dateOfBirth?.message}
                  {...field(`passengers.${i}.dateOfBirth`)}
                />
              ) : null}
              {data.international ? (
                <>
                  <SelectField
                    label={t("passengers.nationality")}
                    error={pe?.nationality?.message}
                    {...field(`passengers.${i}.nationality`)}
                  >
                    <option value="">{t("passengers.chooseCountry")}</option>
                    <optgroup label={t("passengers.frequentCountries")}>
                      {countryOptions(data.countries.frequent)}
                    </optgroup>
                    <optgroup label={t("passengers.allCountries")}>
                      {countryOptions(data.countries.all)}
                    </optgroup>
                  </SelectField>
                  <CodeField
                    label={t("passengers.document")}
                    hint={t("passengers.documentHint")}
                    error={pe?.documentNumber?.message}
                    {...field(`passengers.${i}.documentNumber`)}
                  />
                </>
              ) : null}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}
