"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Link } from "@/i18n/navigation";
import { readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { BookingDetails, StatusBadge } from "./booking-details";
import type { BookingView } from "./booking-view";
import { Alert, buttonPrimary, linkClass } from "./form-fields";
import { searchAgainQuery } from "./search-again";
import { forgetHolds } from "./hold-storage";
import { errorText } from "./error-text";

/** Stop asking after this long: the worker normally confirms within a second. */
const GIVE_UP_MS = 120_000;

function refunded(b: BookingView) {
  return (
    b.refunds.length > 0 ||
    b.payments.some((p) => p.status === "REFUNDED" || p.status === "PARTIALLY_REFUNDED")
  );
}

/** Final states: confirmed, cancelled, or released with the late payment handed back. */
function settled(b: BookingView | undefined) {
  return (
    !!b && (b.status === "CONFIRMED" || b.status === "CANCELLED" || (b.status === "EXPIRED" && refunded(b)))
  );
}

/**
 * Stripe sends the traveller here as soon as the card is accepted, usually before its webhook has been
 * processed. Ask every second until the worker has confirmed the booking, then show it; no reload needed.
 */
export function CheckoutSuccess({ sessionId }: { sessionId: string }) {
  const t = useTranslations("checkout.success");
  const ts = useTranslations("errors");
  const trpc = useTRPC();
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    const id = window.setTimeout(() => setGaveUp(true), GIVE_UP_MS);
    return () => window.clearTimeout(id);
  }, []);
  const q = useQuery({
    ...trpc.booking.checkoutStatus.queryOptions({ sessionId }),
    staleTime: 0,
    refetchInterval: (query) =>
      settled(query.state.data) || query.state.status === "error" || gaveUp ? false : 1000,
  });
  const b = q.data;
  const heading = useRef<HTMLHeadingElement>(null);
  // Paid, and waiting for a connected ferry company to confirm its leg: say which company.
  const operator =
    b?.status === "CONFIRMING" ? b.legs.find((l) => l.operatorReference)?.operator.name : undefined;
  const state = q.isError
    ? "error"
    : !b || !settled(b)
      ? gaveUp
        ? "slow"
        : "confirming"
      : b.status === "CONFIRMED"
        ? "confirmed"
        : b.status === "CANCELLED"
          ? "cancelled"
          : "expired";
  // The page's subject changes when the booking settles: take the keyboard and screen reader to it.
  useEffect(() => {
    if (state !== "confirming") heading.current?.focus();
    // Paid: the details kept in this tab to resume a held booking are no longer needed.
    if (state === "confirmed") forgetHolds();
  }, [state]);

  const title = {
    confirming: t("confirmingTitle"),
    slow: t("slowTitle"),
    confirmed: t("confirmedTitle"),
    cancelled: t("cancelledTitle"),
    expired: t("expiredTitle"),
    error: t("errorTitle"),
  }[state];

  return (
    <div className="grid gap-5">
      <h1 ref={heading} tabIndex={-1} className="text-2xl font-bold text-sea-900 md:text-3xl">
        {title}
      </h1>
      <div role="status" className="grid gap-2">
        {state === "confirming" ? (
          <p className="flex items-center gap-3">
            <span
              aria-hidden="true"
              className="inline-block size-5 animate-spin rounded-full border-4 border-sea-100 border-t-sea-700"
            />
            {operator ? t("operatorBody", { operator }) : t("confirmingBody")}
          </p>
        ) : null}
        {state === "slow" ? <p>{t("slowBody")}</p> : null}
        {state === "confirmed" && b ? <p>{t("confirmedBody", { email: b.contactEmail })}</p> : null}
        {state === "expired" ? <p>{t("expiredBody")}</p> : null}
        {state === "cancelled" ? <p>{t("cancelledBody")}</p> : null}
      </div>
      {state === "error" ? (
        <Alert title={t("errorTitle")}>{errorText(readAppError(q.error), ts as never, "lookup")}</Alert>
      ) : null}
      {b && state !== "confirming" ? (
        <>
          <div className="flex flex-wrap items-center gap-3 rounded-xl bg-white p-4">
            <span>{t("reference")}</span>
            <strong dir="ltr" className="font-mono text-xl">
              {b.reference}
            </strong>
            <StatusBadge status={b.status} />
          </div>
          <BookingDetails booking={b} />
          <p className="flex flex-wrap items-center gap-4">
            {b.ticketUrl ? (
              <a href={b.ticketUrl} className={buttonPrimary}>
                {t("ticket")}
              </a>
            ) : null}
            <Link
              href={{ pathname: "/manage", query: { ref: b.reference } }}
              className={b.ticketUrl ? linkClass : buttonPrimary}
            >
              {t("manage")}
            </Link>
            {state === "expired" ? (
              <Link href={{ pathname: "/search", query: searchAgainQuery(b) }} className={linkClass}>
                {t("searchAgain")}
              </Link>
            ) : null}
          </p>
        </>
      ) : null}
    </div>
  );
}
