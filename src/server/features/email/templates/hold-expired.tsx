import { Cta, EmailShell, P } from "./layout";
import type { TemplateContext } from "./context";
import { Itinerary } from "./parts";

export function HoldExpiredEmail(props: { ctx: TemplateContext; preview: string }) {
  const { t, dir, locale, booking, searchUrl } = props.ctx;
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={t("holdExpired.heading")}
      reference={booking.reference}
    >
      <P dir={dir}>{t("common.greeting")}</P>
      <P dir={dir}>{t("holdExpired.body")}</P>
      <Itinerary locale={locale} t={t} dir={dir} legs={booking.legs} />
      <P dir={dir}>{t("holdExpired.cta")}</P>
      <Cta href={searchUrl} dir={dir}>
        {t("common.searchAgain")}
      </Cta>
    </EmailShell>
  );
}
