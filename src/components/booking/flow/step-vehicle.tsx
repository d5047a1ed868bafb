"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { CountStepper } from "@/components/count-stepper";
import { MAX_PETS } from "@/shared/constants";
import type { BookingPageData, VehicleClassView } from "../booking-types";
import { Alert, CodeField, TextField } from "../form-fields";
import type { BookingForm } from "./use-booking-form";

/**
 * Step 3: the vehicle class (choosing one re-prices the trip on the server), its plate and measurements,
 * and pets.
 */
export function StepVehicle({
  data,
  booking,
  updating,
  onVehicle,
  onPets,
  blockError,
}: {
  data: BookingPageData;
  booking: BookingForm;
  updating: boolean;
  onVehicle: (v: VehicleClassView["type"] | null) => void;
  onPets: (n: number) => void;
  blockError?: string;
}) {
  const t = useTranslations("book.vehicle");
  const current = booking.vehicleClass?.type ?? "none";
  // Shown at once; the page then re-renders with the new class's prices and limits.
  const [selected, setSelected] = useState<string>(current);
  useEffect(() => setSelected(current), [current]);
  const choices: { value: string; label: string; limits: string }[] = [
    { value: "none", label: t("none"), limits: t("noneHint") },
    ...data.vehicleClasses.map((v) => ({ value: v.type, label: v.label, limits: v.limits })),
  ];
  return (
    <div className="grid gap-5">
      {blockError ? (
        <p className="font-medium text-coral-700">
          <span aria-hidden="true">⚠ </span>
          {blockError}
        </p>
      ) : null}
      <fieldset aria-describedby="vehicle-why">
        <legend className="font-semibold text-slate-900">{t("legend")}</legend>
        <p id="vehicle-why" className="mb-2 text-sm text-slate-700">
          {t("why")}
        </p>
        <div className="grid gap-2 sm:grid-cols-2">
          {choices.map((c) => (
            <label
              key={c.value}
              className={`flex cursor-pointer gap-3 rounded-xl border-2 p-3 ${selected === c.value ? "border-sea-700 bg-sea-50" : "border-slate-200 bg-white hover:border-sea-600"}`}
            >
              <input
                type="radio"
                name="vehicle-class"
                value={c.value}
                checked={selected === c.value}
                onChange={() => {
                  setSelected(c.value);
                  onVehicle(c.value === "none" ? null : (c.value as VehicleClassView["type"]));
                }}
                className="mt-1 size-5 shrink-0 accent-sea-700"
              />
              <span>
                <span className="block font-semibold">{c.label}</span>
                <span className="block text-sm text-slate-700">{c.limits}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <p aria-live="polite" className="text-sm font-medium text-sea-700">
        {updating ? t("updating") : ""}
      </p>
      <VehicleFields booking={booking} />
      <div className="max-w-sm">
        <CountStepper
          label={t("pets")}
          hint={t("petsHint")}
          addLabel={t("addPet")}
          removeLabel={t("removePet")}
          value={data.request.pets}
          min={0}
          max={MAX_PETS}
          onChange={onPets}
          errorId="pets-error"
        />
      </div>
      {data.legs.some((l) => l.problem) ? (
        <Alert title={t("problemTitle")}>
          <ul>
            {data.legs
              .filter((l) => l.problem)
              .map((l) => (
                <li key={l.key}>
                  {l.heading}: {l.problem}
                </li>
              ))}
          </ul>
        </Alert>
      ) : null}
    </div>
  );
}

/** The plate and measurements of the chosen class; nothing when the party travels without a vehicle. */
function VehicleFields({ booking }: { booking: BookingForm }) {
  const t = useTranslations("book");
  const { vehicleClass, errors, field, metres } = booking;
  if (!vehicleClass) return null;
  /** An optional size in centimetres, typed as digits, with the class's limit as its hint. */
  const dimension = (which: "height" | "length", maxCm: number) => ({
    label: t(`vehicle.${which}`),
    note: t("optional"),
    hint: t(`vehicle.${which}Hint`, { max: metres(maxCm) }),
    inputMode: "numeric" as const,
    dir: "ltr",
  });
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <CodeField
        label={t("vehicle.registration")}
        hint={t("vehicle.registrationHint")}
        error={errors.vehicle?.registration?.message}
        {...field("vehicle.registration")}
      />
      <TextField
        {...dimension("height", vehicleClass.maxHeightCm)}
        error={errors.vehicle?.heightCm?.message}
        {...field("vehicle.heightCm")}
      />
      <TextField
        {...dimension("length", vehicleClass.maxLengthCm)}
        error={errors.vehicle?.lengthCm?.message}
        {...field("vehicle.lengthCm")}
      />
    </div>
  );
}
