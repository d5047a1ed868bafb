import { BookingEmail, ManageCta } from "./booking-email";
import type { TemplateContext } from "./context";
import { Callout, P } from "./layout";
import { Itinerary } from "./parts";

export function BookingCancelledEmail(props: {
  ctx: TemplateContext;
  preview: string;
  refund: string | null;
}) {
  const { ctx } = props;
  const { t, dir, locale, booking } = ctx;
  return (
    <BookingEmail ctx={ctx} preview={props.preview} heading={t("bookingCancelled.heading")}>
      <P dir={dir}>{t("bookingCancelled.body", { reference: booking.reference })}</P>
      <Callout dir={dir}>
        <P dir={dir} strong>
          {props.refund
            ? t("bookingCancelled.refund", { amount: props.refund })
            : t("bookingCancelled.noRefund")}
        </P>
      </Callout>
      <Itinerary locale={locale} t={t} dir={dir} legs={booking.legs} />
      <ManageCta ctx={ctx} secondary />
    </BookingEmail>
  );
}
