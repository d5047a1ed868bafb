import { Callout, Cta, EmailShell, P } from "./layout";
import type { TemplateContext } from "./context";

export function RefundFailedEmail(props: {
  ctx: TemplateContext;
  preview: string;
  amount: string;
  reason: string | null;
}) {
  const { t, dir, locale, booking, manageUrl } = props.ctx;
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={t("refundFailed.heading")}
      reference={booking.reference}
      tone="warning"
    >
      <P dir={dir}>{t("common.greeting")}</P>
      <P dir={dir}>{t("refundFailed.body", { amount: props.amount, reference: booking.reference })}</P>
      {props.reason ? <P dir={dir}>{t("refundFailed.reason", { reason: props.reason })}</P> : null}
      <Callout dir={dir} tone="warning">
        <P dir={dir} strong>
          {t("refundFailed.whatToDo")}
        </P>
      </Callout>
      <Cta href={manageUrl} dir={dir}>
        {t("common.manageBooking")}
      </Cta>
    </EmailShell>
  );
}
