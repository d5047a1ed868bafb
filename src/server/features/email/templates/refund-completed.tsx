import { Callout, Cta, EmailShell, P } from "./layout";
import type { TemplateContext } from "./context";

export function RefundCompletedEmail(props: { ctx: TemplateContext; preview: string; amount: string }) {
  const { t, dir, locale, booking, manageUrl } = props.ctx;
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={t("refundCompleted.heading")}
      reference={booking.reference}
    >
      <P dir={dir}>{t("common.greeting")}</P>
      <Callout dir={dir}>
        <P dir={dir}>{t("refundCompleted.body", { amount: props.amount, reference: booking.reference })}</P>
      </Callout>
      <Cta href={manageUrl} dir={dir} secondary>
        {t("common.manageBooking")}
      </Cta>
    </EmailShell>
  );
}
