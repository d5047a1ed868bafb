import { BookingEmail, ManageCta } from "./booking-email";
import type { TemplateContext } from "./context";
import { Callout, P } from "./layout";

export function RefundFailedEmail(props: {
  ctx: TemplateContext;
  preview: string;
  amount: string;
  reason: string | null;
}) {
  const { ctx } = props;
  const { t, dir, booking } = ctx;
  return (
    <BookingEmail ctx={ctx} preview={props.preview} heading={t("refundFailed.heading")} tone="warning">
      <P dir={dir}>{t("refundFailed.body", { amount: props.amount, reference: booking.reference })}</P>
      {props.reason ? <P dir={dir}>{t("refundFailed.reason", { reason: props.reason })}</P> : null}
      <Callout dir={dir} tone="warning">
        <P dir={dir} strong>
          {t("refundFailed.whatToDo")}
        </P>
      </Callout>
      <ManageCta ctx={ctx} />
    </BookingEmail>
  );
}
