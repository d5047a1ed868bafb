import { zodResolver } from "@hookform/resolvers/zod";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { type FieldErrors, type FieldPath, type Resolver, useForm } from "react-hook-form";
import { formatDecimal } from "@/shared/format";
import { type BookingFormValues, bookingSchema } from "../booking-schema";
import type { BookingPageData } from "../booking-types";
import { partyTypes } from "./steps";

/**
 * The booking's form: one react-hook-form instance over every step, validated by `bookingSchema` with the
 * rules of the vehicle class currently chosen.
 */
export function useBookingForm(data: BookingPageData) {
  const t = useTranslations("book");
  const te = useTranslations("book.errors");
  const locale = useLocale();
  const vehicleClass = data.vehicleClasses.find((v) => v.type === data.request.vehicle) ?? null;
  const metres = useCallback(
    (cm: number) => t("metres", { value: formatDecimal(locale, cm / 100, 2) }),
    [t, locale],
  );

  const schema = useMemo(
    () =>
      bookingSchema({
        msg: (key, values) => te(key as never, values as never),
        departureDate: data.departureDate,
        departureLabel: data.departureLabel,
        international: data.international,
        vehicle: vehicleClass ? { ...vehicleClass, label: vehicleClass.label } : null,
        metres,
      }),
    [te, data.departureDate, data.departureLabel, data.international, vehicleClass, metres],
  );
  // The vehicle class can change while the form is open (it re-prices the trip): always validate with the latest.
  const schemaRef = useRef(schema);
  schemaRef.current = schema;
  const resolver = useCallback<Resolver<BookingFormValues>>(
    (values, ctx, opts) =>
      (zodResolver(schemaRef.current) as unknown as Resolver<BookingFormValues>)(values, ctx, opts),
    [],
  );

  // Checked when the traveller presses Continue, then re-checked as they correct a field. Not on blur: a message
  // appearing as focus leaves a field would move the Continue button from under the pointer.
  const form = useForm<BookingFormValues>({
    mode: "onSubmit",
    resolver,
    defaultValues: {
      passengers: partyTypes(data.request).map((type) => ({
        type,
        firstName: "",
        lastName: "",
        dateOfBirth: "",
        nationality: "",
        documentNumber: "",
      })),
      vehicle: { registration: "", heightCm: "", lengthCm: "" },
      contact: { email: "", phone: "" },
    },
  });
  const errors: FieldErrors<BookingFormValues> = form.formState.errors;
  // A new vehicle class has new limits: re-check a height or length that was refused under the old one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the schema (the class limits) changes.
  useEffect(() => {
    if (form.getFieldState("vehicle").error) void form.trigger("vehicle");
  }, [schema, form]);

  /** Registers an input; once it shows an error, every change re-checks it. */
  const field = (name: FieldPath<BookingFormValues>) =>
    form.register(name, {
      onChange: () => {
        if (form.getFieldState(name).error) void form.trigger(name);
      },
    });

  /** "Child 2" for the second child of the party. */
  const passengerLabel = (type: BookingFormValues["passengers"][number]["type"], i: number) => {
    const nth = form
      .getValues("passengers")
      .slice(0, i + 1)
      .filter((p) => p.type === type).length;
    return t(`passengers.${type}`, { n: nth });
  };

  return { form, errors, field, vehicleClass, metres, passengerLabel };
}

export type BookingForm = ReturnType<typeof useBookingForm>;
