"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { Link } from "@/i18n/navigation";
import { Alert, buttonPrimary, buttonSecondary, linkClass } from "../form-fields";
import { HoldCountdown } from "../hold-countdown";
import type { Hold } from "./use-booking-flow";

/**
 * Once the places are held: the reference, the countdown, and the way to pay — or, when the hold has ended,
 * the way to book again.
 */
export function HoldPanel({
  hold,
  over,
  searchLink,
  paying,
  onExpired,
  onPay,
  onRestart,
  announcement,
}: {
  hold: Hold;
  over: boolean;
  searchLink: { pathname: string; query: Record<string, string> };
  paying: boolean;
  onExpired: () => void;
  onPay: () => void;
  onRestart: () => void;
  announcement: string;
}) {
  const t = useTranslations("book.hold");
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus when the panel opens and when the hold ends.
  useEffect(() => {
    heading.current?.focus();
  }, [over]);
  return (
    <section
      aria-labelledby="hold-title"
      className="mx-auto max-w-xl rounded-2xl border border-sea-700 bg-white p-5"
    >
      <div aria-live="assertive" aria-atomic="true" className="sr-only">
        {announcement}
      </div>
      <h2 id="hold-title" ref={heading} tabIndex={-1} className="text-xl font-bold text-sea-900">
        {over ? t("overTitle") : t("title")}
      </h2>
      <p className="mt-2">
        {t("reference")}{" "}
        <strong dir="ltr" className="font-mono text-lg">
          {hold.reference}
        </strong>
      </p>
      {hold.total ? <p>{t("total", { total: hold.total })}</p> : null}
      {over ? (
        <div className="mt-4 grid gap-3">
          <p>{t("overBody")}</p>
          <div className="flex flex-wrap gap-3">
            <button type="button" className={buttonPrimary} onClick={onRestart}>
              {t("restart")}
            </button>
            <Link href={searchLink} className={buttonSecondary}>
              {t("searchAgain")}
            </Link>
          </div>
        </div>
      ) : (
        <div className="mt-4 grid gap-3">
          <HoldCountdown until={hold.holdExpiresAt} onExpired={onExpired} />
          {hold.checkoutUrl ? (
            <>
              <p role="status">{t("redirecting")}</p>
              <p>
                <a href={hold.checkoutUrl} className={linkClass}>
                  {t("goNow")}
                </a>
              </p>
            </>
          ) : (
            <>
              {hold.paymentError ? <Alert title={t("paymentProblem")}>{hold.paymentError}</Alert> : null}
              <div className="flex flex-wrap gap-3">
                <button type="button" className={buttonPrimary} onClick={onPay} disabled={paying}>
                  {hold.paymentError ? t("retryPay") : t("continuePay")}
                </button>
                {hold.paymentError ? null : (
                  <button type="button" className={buttonSecondary} onClick={onRestart}>
                    {t("newBooking")}
                  </button>
                )}
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
