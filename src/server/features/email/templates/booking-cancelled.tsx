import { Callout, Cta, EmailShell, P } from "./layout";
import type { TemplateContext } from "./context";
import { Itinerary } from "./parts";

export function BookingCancelledEmail(props: {
  ctx: TemplateContext;
  preview: string;
  refund: string | null;
}) {
  const { t, dir, locale, booking, manageUrl } = props.ctx;
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={t("bookingCancelled.heading")}
      reference={booking.reference}
    >
      <P dir={dir}>{t("common.greeting")}</P>
      <P dir={dir}>{t("bookingCancelled.body", { reference: booking.reference })}</P>
      <Callout dir={dir}>
        <P dir={dir} strong>
          {props.refund
            ? t("bookingCancelled.refund", { amount: props.refund })
            : t("bookingCancelled.noRefund")}
        </P>
      </Callout>
      <Itinerary locale={locale} t={t} dir={dir} legs={booking.legs} />
      <Cta href={manageUrl} dir={dir} secondary>
        {t("common.manageBooking")}
      </Cta>
    </EmailShell>
  );
}
