import { BookingEmail } from "./booking-email";
import type { TemplateContext } from "./context";
import { Cta, P } from "./layout";
import { Itinerary } from "./parts";

export function HoldExpiredEmail(props: { ctx: TemplateContext; preview: string }) {
  const { ctx } = props;
  const { t, dir, locale, booking, searchUrl } = ctx;
  return (
    <BookingEmail ctx={ctx} preview={props.preview} heading={t("holdExpired.heading")}>
      <P dir={dir}>{t("holdExpired.body")}</P>
      <Itinerary locale={locale} t={t} dir={dir} legs={booking.legs} />
      <P dir={dir}>{t("holdExpired.cta")}</P>
      <Cta href={searchUrl} dir={dir}>
        {t("common.searchAgain")}
      </Cta>
    </BookingEmail>
  );
}
