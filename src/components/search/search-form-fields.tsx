"use client";

import { Controller } from "react-hook-form";
import { CountStepper } from "@/components/count-stepper";
import { MAX_PARTY, MAX_PETS } from "@/shared/constants";
import { type PortOption, type SearchFormValues, VEHICLE_CHOICES } from "./search-query";
import type { SearchFormState } from "./use-search-form";

/** The parts of `SearchForm`, each given the form's state (`useSearchForm`). */

const control =
  "mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 aria-[invalid=true]:border-coral-600 aria-[invalid=true]:border-2";
const labelClass = "block text-sm font-semibold text-slate-800";
const errorClass = "mt-1 text-sm font-medium text-coral-600";

/** A field's message, tied to it by id. */
function FieldMessage({
  s,
  name,
  live = false,
}: {
  s: SearchFormState;
  name: keyof SearchFormValues;
  live?: boolean;
}) {
  const err = s.fieldError(name);
  if (!err) return null;
  // Only errors that appear while the traveller edits are announced here; errors the page arrived with are
  // already announced by the page's own summary.
  const announce = live && Boolean(s.errors[name]);
  return (
    <p id={s.errId(name)} className={errorClass} role={announce ? "alert" : undefined}>
      {err}
    </p>
  );
}

export function TripType({ s }: { s: SearchFormState }) {
  return (
    <fieldset>
      <legend className="sr-only">{s.t("trip")}</legend>
      <div className="inline-flex rounded-full border border-sea-700 bg-white p-1">
        {/* Controlled so the server-rendered HTML already shows the chosen trip type. */}
        <Controller
          name="trip"
          control={s.form.control}
          render={({ field }) => (
            <>
              {(["one-way", "return"] as const).map((value) => (
                <label
                  key={value}
                  className="cursor-pointer rounded-full px-4 py-1.5 text-sm font-semibold text-sea-700 has-checked:bg-sea-700 has-checked:text-white has-focus-visible:outline-3 has-focus-visible:outline-sea-600"
                >
                  <input
                    type="radio"
                    name={field.name}
                    value={value}
                    checked={field.value === value}
                    onChange={() => field.onChange(value)}
                    onBlur={field.onBlur}
                    className="sr-only"
                  />
                  {value === "one-way" ? s.t("oneWay") : s.t("return")}
                </label>
              ))}
            </>
          )}
        />
      </div>
    </fieldset>
  );
}

/** From, swap, to: the destination list follows the origin, and a destination it does not serve is cleared. */
export function PortFields({ s, ports }: { s: SearchFormState; ports: PortOption[] }) {
  const { t, id, form, names, values } = s;
  const fromField = form.register("from", {
    onChange: (e: React.ChangeEvent<HTMLSelectElement>) => {
      const next = ports.find((p) => p.code === e.target.value);
      // A destination the new origin does not serve would be a dead end: clear it rather than keep it.
      if (values.to && !next?.destinations.includes(values.to))
        form.setValue("to", "", { shouldDirty: true });
    },
  });
  return (
    <div className="grid items-start gap-3 md:grid-cols-[1fr_auto_1fr]">
      <div>
        <label htmlFor={`${id}-from`} className={labelClass}>
          {t("from")}
        </label>
        <select id={`${id}-from`} className={control} {...fromField} {...s.a11y("from")}>
          <option value="">{t("choosePort")}</option>
          {s.sortedPorts.map((p) => (
            <option key={p.code} value={p.code}>
              {names.name(p.code)}
            </option>
          ))}
        </select>
        <FieldMessage s={s} name="from" />
      </div>
      <button
        type="button"
        disabled={!s.canSwap}
        aria-label={t("swap")}
        title={t("swap")}
        onClick={() => {
          form.setValue("from", values.to, { shouldDirty: true });
          form.setValue("to", values.from, { shouldDirty: true });
        }}
        className="mt-6 grid size-11 place-items-center justify-self-center rounded-full border border-sea-700 bg-white text-sea-700 hover:bg-sea-50 disabled:border-slate-300 disabled:text-slate-500 max-md:rotate-90"
      >
        <svg viewBox="0 0 24 24" className="size-5" aria-hidden="true" focusable="false">
          <path
            d="M7 7h12m0 0-3-3m3 3-3 3M17 17H5m0 0 3-3m-3 3 3 3"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </button>
      <div>
        <label htmlFor={`${id}-to`} className={labelClass}>
          {t("to")}
        </label>
        <select
          id={`${id}-to`}
          className={control}
          disabled={!s.origin}
          {...form.register("to")}
          {...s.a11y("to")}
        >
          <option value="">{s.origin ? t("choosePort") : t("chooseFromFirst")}</option>
          {s.destinations.map((p) => (
            <option key={p.code} value={p.code}>
              {names.name(p.code)}
            </option>
          ))}
        </select>
        <FieldMessage s={s} name="to" />
      </div>
    </div>
  );
}

/** The departure date and, for a return trip, the return date; neither can be before today at the port. */
export function DateFields({ s }: { s: SearchFormState }) {
  const { t, id, form } = s;
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-date`} className={labelClass}>
          {t("date")}
        </label>
        <input
          id={`${id}-date`}
          type="date"
          min={s.today}
          className={control}
          {...form.register("date")}
          {...s.a11y("date")}
        />
        <FieldMessage s={s} name="date" />
      </div>
      {s.values.trip === "return" ? (
        <div>
          <label htmlFor={`${id}-return`} className={labelClass}>
            {t("returnDate")}
          </label>
          <input
            id={`${id}-return`}
            type="date"
            min={s.values.date || s.today}
            className={control}
            {...form.register("returnDate")}
            {...s.a11y("returnDate")}
          />
          <FieldMessage s={s} name="returnDate" />
        </div>
      ) : null}
    </div>
  );
}

/** Adults, children and infants, each a stepper bounded by the party rules. */
export function PartyFields({ s }: { s: SearchFormState }) {
  const { t } = s;
  const { adults, children, infants } = s.values;
  const total = adults + children + infants;
  return (
    <fieldset className="rounded-xl border border-slate-300 bg-white px-4 pb-2 pt-1">
      <legend className="px-1 text-sm font-semibold text-slate-800">{t("passengers")}</legend>
      <p className="text-sm text-slate-600">{t("partyLimit", { max: MAX_PARTY })}</p>
      <div className="divide-y divide-slate-200">
        {(["adults", "children", "infants"] as const).map((name) => (
          <Controller
            key={name}
            name={name}
            control={s.form.control}
            render={({ field }) => (
              <div>
                <CountStepper
                  label={t(`${name}.label`)}
                  hint={t(`${name}.hint`)}
                  addLabel={t(`${name}.add`)}
                  removeLabel={t(`${name}.remove`)}
                  value={field.value}
                  min={name === "adults" ? 1 : 0}
                  // Infants sit on an adult's lap, so we stop at one per adult; fewer adults afterwards is
                  // still possible and gets the message instead of silently dropping an infant.
                  max={
                    name === "infants"
                      ? Math.min(adults, MAX_PARTY - total + field.value)
                      : MAX_PARTY - total + field.value
                  }
                  onChange={(n) => s.setCount(name, n)}
                  error={s.fieldError(name)}
                  errorId={s.errId(name)}
                />
                <FieldMessage s={s} name={name} live />
              </div>
            )}
          />
        ))}
      </div>
    </fieldset>
  );
}

/** The vehicle (its class decides the garage space and price) and pets. */
export function ExtrasFields({ s }: { s: SearchFormState }) {
  const { t, id, form } = s;
  const { vehicle } = s.values;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-vehicle`} className={labelClass}>
          {t("vehicle")}
        </label>
        <select
          id={`${id}-vehicle`}
          className={control}
          {...form.register("vehicle")}
          {...s.a11y("vehicle", `${id}-vehicle-hint`)}
        >
          {VEHICLE_CHOICES.map((v) => (
            <option key={v} value={v}>
              {t(`vehicleTypes.${v}`)}
            </option>
          ))}
        </select>
        <p id={`${id}-vehicle-hint`} className="mt-1 text-sm text-slate-700">
          {t(`vehicleHints.${vehicle}`)}
          {vehicle !== "none" ? <> {t("vehicleWhy")}</> : null}
        </p>
      </div>
      <Controller
        name="pets"
        control={form.control}
        render={({ field }) => (
          <div className="rounded-xl border border-slate-300 bg-white px-4">
            <CountStepper
              label={t("pets.label")}
              hint={t("pets.hint")}
              addLabel={t("pets.add")}
              removeLabel={t("pets.remove")}
              value={field.value}
              min={0}
              max={MAX_PETS}
              onChange={(n) => s.setCount("pets", n)}
              error={s.fieldError("pets")}
              errorId={s.errId("pets")}
            />
            <FieldMessage s={s} name="pets" live />
          </div>
        )}
      />
    </div>
  );
}
