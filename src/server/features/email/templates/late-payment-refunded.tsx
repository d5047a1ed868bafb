import type { PaymentRefundReason } from "@/server/db/schema/payments";
import type { TemplateContext } from "./context";
import { Callout, Cta, EmailShell, P } from "./layout";

/** A payment Traverse refunded by itself (late, mismatched, duplicate …), and why. */
export function LatePaymentRefundedEmail(props: {
  ctx: TemplateContext;
  preview: string;
  amount: string;
  reason: PaymentRefundReason;
}) {
  const { t, dir, locale, booking, searchUrl, manageUrl } = props.ctx;
  // A second payment leaves a confirmed booking: send the traveller to it rather than to a new search.
  const stillBooked = props.reason === "DUPLICATE_PAYMENT";
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={t("latePaymentRefunded.heading")}
      reference={booking.reference}
    >
      <P dir={dir}>{t("common.greeting")}</P>
      <Callout dir={dir}>
        <P dir={dir}>
          {t("latePaymentRefunded.body", { reference: booking.reference, amount: props.amount })}
        </P>
      </Callout>
      <P dir={dir} strong>
        {t("latePaymentRefunded.reasonLabel")} {t(`latePaymentRefunded.reason.${props.reason}`)}
      </P>
      {stillBooked ? (
        <Cta href={manageUrl} dir={dir}>
          {t("common.manageBooking")}
        </Cta>
      ) : (
        <>
          <P dir={dir}>{t("latePaymentRefunded.cta")}</P>
          <Cta href={searchUrl} dir={dir}>
            {t("common.searchAgain")}
          </Cta>
        </>
      )}
    </EmailShell>
  );
}
