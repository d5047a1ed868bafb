"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { formatNumber } from "@/shared/format";
import { formatMoney } from "@/shared/money";
import { readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import type { BookingView } from "./booking-view";
import { Alert, buttonPrimary, buttonSecondary } from "./form-fields";
import { errorText } from "./error-text";

/**
 * The cancellation, confirmed in a modal dialog that first shows what would be refunded. The native <dialog>
 * traps focus, closes on Escape and makes the page behind it inert; focus returns to the opener on close.
 */
export function CancelDialog({
  booking,
  lookup,
  open,
  onClose,
  onCancelled,
}: {
  booking: BookingView;
  lookup: { reference: string; email: string };
  open: boolean;
  onClose: () => void;
  onCancelled: (refund: { amount: number; currency: string } | null) => void;
}) {
  const t = useTranslations("manage.cancel");
  const tb = useTranslations("book");
  const ts = useTranslations("errors");
  const locale = useLocale();
  const trpc = useTRPC();
  const ref = useRef<HTMLDialogElement>(null);
  const preview = useQuery({
    ...trpc.booking.refundPreview.queryOptions(lookup),
    enabled: open,
    staleTime: 0,
    retry: false,
  });
  const cancel = useMutation(
    trpc.booking.cancel.mutationOptions({
      onSuccess: (r) => onCancelled(r.refund ?? null),
    }),
  );

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const p = preview.data;
  const money = (m: { amount: number; currency: string }) => formatMoney(locale, m.amount, m.currency);
  const policy = booking.legs[0]?.refundPolicy;
  let notCancellable: string | null = null;
  if (p && !p.cancellable)
    notCancellable =
      p.band === "DEPARTED"
        ? t("departed")
        : booking.status === "CANCELLED" || booking.status === "EXPIRED"
          ? t("already")
          : (p.reason ?? t("already"));

  return (
    <dialog
      ref={ref}
      aria-labelledby="cancel-title"
      aria-describedby="cancel-body"
      onClose={onClose}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-2xl border border-slate-300 bg-white p-0 text-slate-900 backdrop:bg-slate-900/60"
    >
      <div className="grid gap-4 p-5">
        <h2 id="cancel-title" className="text-xl font-bold text-sea-900">
          {t("title", { reference: booking.reference })}
        </h2>
        <div id="cancel-body" className="grid gap-3" aria-live="polite">
          {preview.isPending ? <p>{t("loading")}</p> : null}
          {preview.isError ? (
            <Alert>{errorText(readAppError(preview.error), ts as never, "lookup")}</Alert>
          ) : null}
          {p && notCancellable ? <p>{notCancellable}</p> : null}
          {p && !notCancellable ? (
            booking.status === "PENDING_PAYMENT" ? (
              <p>{t("unpaid")}</p>
            ) : (
              <>
                <p className="text-lg">
                  {t("refund", {
                    refund: money(p.refund),
                    paid: money(p.paid),
                    percent: formatNumber(locale, p.percent),
                  })}
                </p>
                <p className="text-sm text-slate-700">{t(`band.${(p.band ?? "NONE") as "FULL"}`)}</p>
              </>
            )
          ) : null}
          {policy ? <p className="text-sm text-slate-700">{tb(`policy.${policy as "STANDARD"}`)}</p> : null}
          {cancel.isError ? (
            <Alert title={t("failed")}>{errorText(readAppError(cancel.error), ts as never, "lookup")}</Alert>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-3">
          {p && !notCancellable ? (
            <button
              type="button"
              className={`${buttonPrimary} bg-coral-700`}
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(lookup)}
            >
              {cancel.isPending ? t("cancelling") : t("confirm")}
            </button>
          ) : null}
          {/* biome-ignore lint/a11y/noAutofocus: in a modal dialog autofocus picks the safe action as the first focus (HTML dialog guidance), never the destructive one. */}
          <button type="button" className={buttonSecondary} onClick={onClose} autoFocus>
            {t("keep")}
          </button>
        </div>
      </div>
    </dialog>
  );
}
