"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type ComponentProps, useEffect, useRef, useState } from "react";
import { Link } from "@/i18n/navigation";
import { readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { ReferenceBar } from "./reference-bar";
import { Alert, buttonPrimary, buttonSecondary } from "./form-fields";
import { HoldCountdown } from "./hold-countdown";
import { searchAgainQuery } from "./search-again";
import { errorText } from "./error-text";
import { useLocale } from "next-intl";
import { formatMoney } from "@/shared/money";

/** What is left to do, and one link to do it. */
function NextStep({
  body,
  href,
  label,
}: {
  body: string;
  href: ComponentProps<typeof Link>["href"];
  label: string;
}) {
  return (
    <section className="grid gap-4">
      <p>{body}</p>
      <p>
        <Link href={href} className={buttonPrimary}>
          {label}
        </Link>
      </p>
    </section>
  );
}

/**
 * Back from Stripe without paying (closed the page, card declined and gave up, pressed Back). While the hold lasts
 * the traveller can try again on the same booking; once it has ended we say so and send them back to the search.
 */
export function CheckoutCancelled({ paymentId }: { paymentId: string }) {
  const t = useTranslations("checkout.cancelled");
  const ts = useTranslations("errors");
  const locale = useLocale();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.booking.checkoutStatus.queryOptions({ paymentId }), staleTime: 0 });
  const [over, setOver] = useState(false);
  const [payError, setPayError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const pay = useMutation(
    trpc.booking.pay.mutationOptions({
      onSuccess: (r) => window.location.assign(r.checkoutUrl),
      onError: (e) => {
        const p = readAppError(e);
        if (p.reason === "HOLD_EXPIRED") setOver(true);
        else if (p.reason === "ALREADY_CONFIRMED" || p.reason === "ALREADY_PAID") void q.refetch();
        setPayError(errorText(p, ts as never));
      },
    }),
  );
  const b = q.data;
  const expired =
    over ||
    (b &&
      (b.status === "EXPIRED" ||
        (b.status === "PENDING_PAYMENT" && b.holdExpiresAt.getTime() <= Date.now())));
  const state = q.isPending
    ? "loading"
    : q.isError || !b
      ? "error"
      : b.status === "CONFIRMED"
        ? "paid"
        : b.status === "CANCELLED"
          ? "cancelled"
          : expired
            ? "expired"
            : "pending";

  useEffect(() => {
    if (state === "expired") heading.current?.focus();
  }, [state]);

  const title = {
    loading: t("title"),
    pending: t("title"),
    expired: t("expiredTitle"),
    paid: t("paidTitle"),
    cancelled: t("cancelledTitle"),
    error: t("title"),
  }[state];

  return (
    <div className="grid gap-5">
      <h1 ref={heading} tabIndex={-1} className="text-2xl font-bold text-sea-900 md:text-3xl">
        {title}
      </h1>
      {state === "loading" ? <p role="status">{t("loading")}</p> : null}
      {state === "error" ? (
        <Alert title={t("errorTitle")}>{errorText(readAppError(q.error), ts as never, "lookup")}</Alert>
      ) : null}
      {b && state !== "error" ? (
        <ReferenceBar
          label={t("reference")}
          reference={b.reference}
          status={expired && b.status === "PENDING_PAYMENT" ? "EXPIRED" : b.status}
        >
          <span className="ms-auto font-semibold tabular-nums">
            {formatMoney(locale, b.total.amount, b.total.currency)}
          </span>
        </ReferenceBar>
      ) : null}
      {state === "pending" && b ? (
        <section className="grid gap-4">
          <p>{t("body")}</p>
          <HoldCountdown until={b.holdExpiresAt} onExpired={() => setOver(true)} />
          <div aria-live="assertive">
            {payError ? <Alert title={t("payFailed")}>{payError}</Alert> : null}
          </div>
          <div className="flex flex-wrap gap-3">
            <button
              type="button"
              className={buttonPrimary}
              disabled={pay.isPending}
              onClick={() => {
                setPayError(null);
                pay.mutate({ reference: b.reference, email: b.contactEmail });
              }}
            >
              {pay.isPending ? t("opening") : t("tryAgain")}
            </button>
            <Link href={{ pathname: "/manage", query: { ref: b.reference } }} className={buttonSecondary}>
              {t("manage")}
            </Link>
          </div>
        </section>
      ) : null}
      {state === "expired" && b ? (
        <NextStep
          body={t("expiredBody")}
          href={{ pathname: "/search", query: searchAgainQuery(b) }}
          label={t("searchAgain")}
        />
      ) : null}
      {state === "paid" && b ? (
        <NextStep
          body={t("paidBody")}
          href={{ pathname: "/manage", query: { ref: b.reference } }}
          label={t("manage")}
        />
      ) : null}
      {state === "cancelled" ? <p>{t("cancelledBody")}</p> : null}
    </div>
  );
}
