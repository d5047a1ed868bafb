import { EmailShell, Cta, P, SectionTitle } from "./layout";
import type { TemplateContext } from "./context";
import { Itinerary, PassengersAndVehicle, PriceBreakdown, type QrImage, QrTickets } from "./parts";

export function BookingConfirmedEmail(props: { ctx: TemplateContext; preview: string; tickets: QrImage[] }) {
  const { ctx } = props;
  const { t, dir, locale, booking } = ctx;
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={t("bookingConfirmed.heading")}
      reference={booking.reference}
    >
      <P dir={dir}>{t("common.greeting")}</P>
      <P dir={dir}>{t("bookingConfirmed.intro")}</P>
      <Cta href={ctx.ticketUrl} dir={dir}>
        {t("common.openTickets")}
      </Cta>
      <Itinerary locale={locale} t={t} dir={dir} legs={booking.legs} />
      <PassengersAndVehicle t={t} dir={dir} booking={booking} />
      <PriceBreakdown locale={locale} t={t} dir={dir} booking={booking} />
      <SectionTitle dir={dir}>{t("bookingConfirmed.ticketsHeading")}</SectionTitle>
      <P dir={dir}>{t("bookingConfirmed.ticketsIntro")}</P>
      <QrTickets t={t} dir={dir} tickets={props.tickets} />
      <Cta href={ctx.manageUrl} dir={dir} secondary>
        {t("common.manageBooking")}
      </Cta>
    </EmailShell>
  );
}
