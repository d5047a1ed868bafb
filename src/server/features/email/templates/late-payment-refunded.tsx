import { Callout, Cta, EmailShell, P } from "./layout";
import type { TemplateContext } from "./context";

export function LatePaymentRefundedEmail(props: { ctx: TemplateContext; preview: string; amount: string }) {
  const { t, dir, locale, booking, searchUrl } = props.ctx;
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
      <P dir={dir}>{t("latePaymentRefunded.cta")}</P>
      <Cta href={searchUrl} dir={dir}>
        {t("common.searchAgain")}
      </Cta>
    </EmailShell>
  );
}
