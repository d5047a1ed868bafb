"use client";

import { useTranslations } from "next-intl";
import { EmailField, TextField } from "../form-fields";
import type { BookingForm } from "./use-booking-form";

/** Step 4: where tickets go, and a phone number for the operator if a sailing changes. */
export function StepContact({ booking }: { booking: BookingForm }) {
  const t = useTranslations("book");
  const { errors, field } = booking;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <EmailField
        label={t("contact.email")}
        hint={t("contact.emailHint")}
        error={errors.contact?.email?.message}
        {...field("contact.email")}
      />
      <TextField
        type="tel"
        label={t("contact.phone")}
        note={t("optional")}
        hint={t("contact.phoneHint")}
        autoComplete="tel"
        dir="ltr"
        error={errors.contact?.phone?.message}
        {...field("contact.phone")}
      />
    </div>
  );
}
