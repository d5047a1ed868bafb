import { BookingEmail, ManageCta } from "./booking-email";
import type { TemplateContext } from "./context";
import { Callout, P } from "./layout";

export function RefundCompletedEmail(props: { ctx: TemplateContext; preview: string; amount: string }) {
  const { ctx } = props;
  const { t, dir, booking } = ctx;
  return (
    <BookingEmail ctx={ctx} preview={props.preview} heading={t("refundCompleted.heading")}>
      <Callout dir={dir}>
        <P dir={dir}>{t("refundCompleted.body", { amount: props.amount, reference: booking.reference })}</P>
      </Callout>
      <ManageCta ctx={ctx} secondary />
    </BookingEmail>
  );
}
