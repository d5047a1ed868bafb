"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useLocale, useTranslations } from "next-intl";
import { useId, useMemo, useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useRouter } from "@/i18n/navigation";
import { CountStepper } from "./count-stepper";
import { usePortNames } from "./port-names";
import {
  type FieldErrors,
  MAX_PARTY,
  MAX_PETS,
  type PortOption,
  type SearchFormValues,
  searchQuery,
  searchSchema,
  todayAt,
  VEHICLE_CHOICES,
} from "./search-query";

const EMPTY: SearchFormValues = {
  from: "",
  to: "",
  trip: "one-way",
  date: "",
  returnDate: "",
  adults: 1,
  children: 0,
  infants: 0,
  vehicle: "none",
  pets: 0,
};

const control =
  "mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 aria-[invalid=true]:border-coral-600 aria-[invalid=true]:border-2";
const labelClass = "block text-sm font-semibold text-slate-800";
const errorClass = "mt-1 text-sm font-medium text-coral-600";

export function SearchForm({
  ports,
  defaultValues,
  initialErrors,
  submitLabel,
}: {
  ports: PortOption[];
  defaultValues?: Partial<SearchFormValues>;
  /** Errors found on the server for the URL being shown, displayed until the traveller edits that field. */
  initialErrors?: FieldErrors;
  submitLabel?: string;
}) {
  const t = useTranslations("search.form");
  const locale = useLocale();
  const router = useRouter();
  const names = usePortNames();
  const id = useId();
  const [submitFailed, setSubmitFailed] = useState(false);

  const schema = useMemo(
    () =>
      searchSchema({
        ports,
        msg: (key, values) => t(`errors.${key}`, values),
        portName: names.name,
        cityName: names.city,
      }),
    [ports, t, names],
  );

  const {
    register,
    handleSubmit,
    setValue,
    trigger,
    control: formControl,
    formState: { errors, dirtyFields, isSubmitted },
  } = useForm<SearchFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { ...EMPTY, ...defaultValues },
    mode: "onTouched",
  });

  const [from, to, trip, date, adults, children, infants, vehicle] = useWatch({
    control: formControl,
    name: ["from", "to", "trip", "date", "adults", "children", "infants", "vehicle"],
  });

  const sortedPorts = useMemo(() => {
    const collator = new Intl.Collator(locale);
    return [...ports]
      .filter((p) => p.destinations.length > 0)
      .sort((a, b) => collator.compare(names.name(a.code), names.name(b.code)));
  }, [ports, locale, names]);
  const origin = ports.find((p) => p.code === from);
  const destinations = sortedPorts.filter((p) => origin?.destinations.includes(p.code));
  const today = todayAt(origin?.timeZone ?? "Africa/Tunis");
  const canSwap = Boolean(origin && to && ports.find((p) => p.code === to)?.destinations.includes(from));

  const fieldError = (name: keyof SearchFormValues): string | undefined =>
    errors[name]?.message ?? (!isSubmitted && !dirtyFields[name] ? initialErrors?.[name] : undefined);
  const errId = (name: string) => `${id}-${name}-error`;
  const a11y = (name: keyof SearchFormValues, describedBy?: string) => {
    const err = fieldError(name);
    return {
      "aria-invalid": err ? true : undefined,
      "aria-describedby": [err ? errId(name) : "", describedBy ?? ""].join(" ").trim() || undefined,
    };
  };
  const errorText = (name: keyof SearchFormValues, live = false) => {
    const err = fieldError(name);
    if (!err) return null;
    // Only errors that appear while the traveller edits are announced here; errors the page arrived with are
    // already announced by the page's own summary.
    const announce = live && Boolean(errors[name]);
    return (
      <p id={errId(name)} className={errorClass} role={announce ? "alert" : undefined}>
        {err}
      </p>
    );
  };

  const setCount = (name: "adults" | "children" | "infants" | "pets", next: number) => {
    setValue(name, next, { shouldDirty: true, shouldTouch: true });
    // The party rules tie the counts together (infants ≤ adults, total ≤ 9): re-check them all at once.
    void trigger(["adults", "children", "infants", "pets"]);
  };

  const onSubmit = handleSubmit(
    (values) => {
      setSubmitFailed(false);
      router.push({ pathname: "/search", query: searchQuery(values) });
    },
    () => setSubmitFailed(true),
  );

  const total = adults + children + infants;
  const fromField = register("from", {
    onChange: (e: React.ChangeEvent<HTMLSelectElement>) => {
      const next = ports.find((p) => p.code === e.target.value);
      // A destination the new origin does not serve would be a dead end: clear it rather than keep it.
      if (to && !next?.destinations.includes(to)) setValue("to", "", { shouldDirty: true });
    },
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-5">
      {submitFailed && Object.keys(errors).length > 0 ? (
        <p
          role="alert"
          className="rounded-lg border border-coral-600 bg-white p-3 font-medium text-coral-600"
        >
          {t("errors.summary")}
        </p>
      ) : null}

      <fieldset>
        <legend className="sr-only">{t("trip")}</legend>
        <div className="inline-flex rounded-full border border-sea-700 bg-white p-1">
          {/* Controlled so the server-rendered HTML already shows the chosen trip type. */}
          <Controller
            name="trip"
            control={formControl}
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
                    {value === "one-way" ? t("oneWay") : t("return")}
                  </label>
                ))}
              </>
            )}
          />
        </div>
      </fieldset>

      <div className="grid items-start gap-3 md:grid-cols-[1fr_auto_1fr]">
        <div>
          <label htmlFor={`${id}-from`} className={labelClass}>
            {t("from")}
          </label>
          <select id={`${id}-from`} className={control} {...fromField} {...a11y("from")}>
            <option value="">{t("choosePort")}</option>
            {sortedPorts.map((p) => (
              <option key={p.code} value={p.code}>
                {names.name(p.code)}
              </option>
            ))}
          </select>
          {errorText("from")}
        </div>
        <button
          type="button"
          disabled={!canSwap}
          aria-label={t("swap")}
          title={t("swap")}
          onClick={() => {
            setValue("from", to, { shouldDirty: true });
            setValue("to", from, { shouldDirty: true });
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
          <select id={`${id}-to`} className={control} disabled={!origin} {...register("to")} {...a11y("to")}>
            <option value="">{origin ? t("choosePort") : t("chooseFromFirst")}</option>
            {destinations.map((p) => (
              <option key={p.code} value={p.code}>
                {names.name(p.code)}
              </option>
            ))}
          </select>
          {errorText("to")}
        </div>
      </div>

      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-date`} className={labelClass}>
            {t("date")}
          </label>
          <input
            id={`${id}-date`}
            type="date"
            min={today}
            className={control}
            {...register("date")}
            {...a11y("date")}
          />
          {errorText("date")}
        </div>
        {trip === "return" ? (
          <div>
            <label htmlFor={`${id}-return`} className={labelClass}>
              {t("returnDate")}
            </label>
            <input
              id={`${id}-return`}
              type="date"
              min={date || today}
              className={control}
              {...register("returnDate")}
              {...a11y("returnDate")}
            />
            {errorText("returnDate")}
          </div>
        ) : null}
      </div>

      <fieldset className="rounded-xl border border-slate-300 bg-white px-4 pb-2 pt-1">
        <legend className="px-1 text-sm font-semibold text-slate-800">{t("passengers")}</legend>
        <p className="text-sm text-slate-600">{t("partyLimit", { max: MAX_PARTY })}</p>
        <div className="divide-y divide-slate-200">
          {(["adults", "children", "infants"] as const).map((name) => (
            <Controller
              key={name}
              name={name}
              control={formControl}
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
                    onChange={(n) => setCount(name, n)}
                    error={fieldError(name)}
                    errorId={errId(name)}
                  />
                  {errorText(name, true)}
                </div>
              )}
            />
          ))}
        </div>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-vehicle`} className={labelClass}>
            {t("vehicle")}
          </label>
          <select
            id={`${id}-vehicle`}
            className={control}
            {...register("vehicle")}
            {...a11y("vehicle", `${id}-vehicle-hint`)}
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
          control={formControl}
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
                onChange={(n) => setCount("pets", n)}
                error={fieldError("pets")}
                errorId={errId("pets")}
              />
              {errorText("pets", true)}
            </div>
          )}
        />
      </div>

      <div>
        <button
          type="submit"
          className="w-full rounded-full bg-coral-600 px-8 py-3 text-lg font-semibold text-white shadow hover:bg-coral-700 sm:w-auto"
        >
          {submitLabel ?? t("submit")}
        </button>
      </div>
    </form>
  );
}
