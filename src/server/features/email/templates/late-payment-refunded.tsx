import type { PaymentRefundReason } from "@/server/db/schema/payments";
import { BookingEmail, ManageCta } from "./booking-email";
import type { TemplateContext } from "./context";
import { Callout, Cta, P } from "./layout";

/** A payment Traverse refunded by itself (late, mismatched, duplicate …), and why. */
export function LatePaymentRefundedEmail(props: {
  ctx: TemplateContext;
  preview: string;
  amount: string;
  reason: PaymentRefundReason;
}) {
  const { ctx } = props;
  const { t, dir, booking, searchUrl } = ctx;
  // A second payment leaves a confirmed booking: send the traveller to it rather than to a new search.
  const stillBooked = props.reason === "DUPLICATE_PAYMENT";
  return (
    <BookingEmail ctx={ctx} preview={props.preview} heading={t("latePaymentRefunded.heading")}>
      <Callout dir={dir}>
        <P dir={dir}>
          {t("latePaymentRefunded.body", { reference: booking.reference, amount: props.amount })}
        </P>
      </Callout>
      <P dir={dir} strong>
        {t("latePaymentRefunded.reasonLabel")} {t(`latePaymentRefunded.reason.${props.reason}`)}
      </P>
      {stillBooked ? (
        <ManageCta ctx={ctx} />
      ) : (
        <>
          <P dir={dir}>{t("latePaymentRefunded.cta")}</P>
          <Cta href={searchUrl} dir={dir}>
            {t("common.searchAgain")}
          </Cta>
        </>
      )}
    </BookingEmail>
  );
}
