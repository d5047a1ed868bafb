"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { skipToken, useMutation, useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useMemo, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { formatMoney } from "@/shared/money";
import { readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { BookingDetails, StatusBadge } from "./booking-details";
import { CancelDialog } from "./cancel-dialog";
import { Alert, buttonPrimary, buttonSecondary, TextField } from "./form-fields";
import { HoldCountdown } from "./hold-countdown";
import { errorText } from "./error-text";

interface Lookup {
  reference: string;
  email: string;
}

/** Find a booking by reference and email, then pay, or cancel it after seeing the refund. */
export function ManageBooking({ initialReference }: { initialReference: string }) {
  const t = useTranslations("manage");
  const ts = useTranslations("errors");
  const locale = useLocale();
  const trpc = useTRPC();
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [holdOver, setHoldOver] = useState(false);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  const schema = useMemo(
    () =>
      z.object({
        reference: z
          .string()
          .trim()
          .min(1, t("form.referenceRequired"))
          .regex(/^[A-Za-z0-9-]{4,20}$/, t("form.referenceFormat")),
        email: z
          .string()
          .trim()
          .min(1, t("form.emailRequired"))
          .pipe(z.email(t("form.emailInvalid"))),
      }),
    [t],
  );
  const form = useForm<Lookup>({
    resolver: zodResolver(schema),
    defaultValues: { reference: initialReference, email: "" },
  });

  const q = useQuery({
    ...trpc.booking.get.queryOptions(lookup ?? skipToken),
    retry: false,
    staleTime: 0,
  });
  const b = q.data;
  const pay = useMutation(
    trpc.booking.pay.mutationOptions({ onSuccess: (r) => window.location.assign(r.checkoutUrl) }),
  );

  // Take focus to the booking once found, so keyboard and screen-reader users land on it.
  const found = b?.reference;
  useEffect(() => {
    if (found) resultHeading.current?.focus();
  }, [found]);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const onSubmit = form.handleSubmit((v) => {
    setNotice(null);
    setHoldOver(false);
    setLookup({ reference: v.reference.trim().toUpperCase(), email: v.email.trim().toLowerCase() });
  });

  const pending = b?.status === "PENDING_PAYMENT" && !holdOver && b.holdExpiresAt.getTime() > Date.now();
  const canCancel = b && (b.status === "CONFIRMED" || b.status === "PENDING_PAYMENT");

  return (
    <div className="grid gap-8">
      <form
        onSubmit={onSubmit}
        noValidate
        className="grid gap-4 rounded-2xl border border-sea-100 bg-white p-5"
        aria-labelledby="find-title"
      >
        <h2 id="find-title" className="text-lg font-bold text-sea-900">
          {t("form.title")}
        </h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={t("form.reference")}
            hint={t("form.referenceHint")}
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            error={form.formState.errors.reference?.message}
            {...form.register("reference")}
          />
          <TextField
            type="email"
            label={t("form.email")}
            hint={t("form.emailHint")}
            autoComplete="email"
            dir="ltr"
            error={form.formState.errors.email?.message}
            {...form.register("email")}
          />
        </div>
        <div>
          <button type="submit" className={buttonPrimary} disabled={q.isFetching && !b}>
            {q.isFetching && !b ? t("form.finding") : t("form.submit")}
          </button>
        </div>
        <div role="alert">
          {q.isError ? (
            <Alert title={t("form.failed")}>{errorText(readAppError(q.error), ts as never, "lookup")}</Alert>
          ) : null}
        </div>
      </form>

      {b && lookup ? (
        <section aria-labelledby="booking-title" className="grid gap-5">
          <div className="flex flex-wrap items-center gap-3">
            <h2
              id="booking-title"
              ref={resultHeading}
              tabIndex={-1}
              className="text-xl font-bold text-sea-900"
            >
              {t("booking", { reference: b.reference })}
            </h2>
            <StatusBadge status={b.status === "PENDING_PAYMENT" && !pending ? "EXPIRED" : b.status} />
          </div>
          {notice ? (
            <div ref={noticeRef} tabIndex={-1} role="status">
              <Alert tone="success">{notice}</Alert>
            </div>
          ) : null}
          {pending ? (
            <div className="grid gap-3 rounded-2xl border border-amber-300 bg-amber-50 p-4">
              <p className="font-semibold">
                {t("unpaid", { total: formatMoney(locale, b.total.amount, b.total.currency) })}
              </p>
              <HoldCountdown until={b.holdExpiresAt} onExpired={() => setHoldOver(true)} />
              {pay.isError ? <Alert>{errorText(readAppError(pay.error), ts as never)}</Alert> : null}
              <div>
                <button
                  type="button"
                  className={buttonPrimary}
                  disabled={pay.isPending}
                  onClick={() => pay.mutate(lookup)}
                >
                  {pay.isPending ? t("opening") : t("payNow")}
                </button>
              </div>
            </div>
          ) : null}
          {b.status === "PENDING_PAYMENT" && !pending ? <Alert>{t("holdOver")}</Alert> : null}
          {b.status === "CONFIRMED" && b.ticketUrl ? (
            <p>
              <a href={b.ticketUrl} className={buttonPrimary}>
                {t("ticket")}
              </a>
            </p>
          ) : null}
          {b.status === "EXPIRED" ? <Alert tone="info">{t("expired")}</Alert> : null}
          {b.status === "CANCELLED" ? <Alert tone="info">{t("cancelled")}</Alert> : null}
          <BookingDetails booking={b} headingLevel={3} />
          {canCancel ? (
            <div className="rounded-2xl border border-slate-200 bg-white p-4">
              <h3 className="font-bold">{t("cancelTitle")}</h3>
              <p className="mt-1 text-sm text-slate-700">{t("cancelIntro")}</p>
              <button
                ref={cancelButton}
                type="button"
                className={`${buttonSecondary} mt-3 border-coral-700 text-coral-700`}
                onClick={() => setDialogOpen(true)}
              >
                {t("cancelButton")}
              </button>
            </div>
          ) : null}
          <p>
            <button
              type="button"
              className="font-semibold text-sea-700 underline"
              onClick={() => {
                setLookup(null);
                setNotice(null);
                form.reset({ reference: "", email: "" });
                form.setFocus("reference");
              }}
            >
              {t("another")}
            </button>
          </p>
          <CancelDialog
            booking={b}
            lookup={lookup}
            open={dialogOpen}
            onClose={() => {
              setDialogOpen(false);
              cancelButton.current?.focus();
            }}
            onCancelled={(refund) => {
              setDialogOpen(false);
              setNotice(
                refund && refund.amount > 0
                  ? t("cancelledNotice", { refund: formatMoney(locale, refund.amount, refund.currency) })
                  : t("cancelledNoticeNoRefund"),
              );
              void q.refetch();
            }}
          />
        </section>
      ) : null}
    </div>
  );
}
