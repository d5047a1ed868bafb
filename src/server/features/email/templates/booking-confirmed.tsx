import { BookingEmail, ManageCta, TicketsCta } from "./booking-email";
import type { TemplateContext } from "./context";
import { P, SectionTitle } from "./layout";
import { Itinerary, PassengersAndVehicle, PriceBreakdown, type QrImage, QrTickets } from "./parts";

export function BookingConfirmedEmail(props: { ctx: TemplateContext; preview: string; tickets: QrImage[] }) {
  const { ctx } = props;
  const { t, dir, locale, booking } = ctx;
  return (
    <BookingEmail ctx={ctx} preview={props.preview} heading={t("bookingConfirmed.heading")}>
      <P dir={dir}>{t("bookingConfirmed.intro")}</P>
      <TicketsCta ctx={ctx} />
      <Itinerary locale={locale} t={t} dir={dir} legs={booking.legs} />
      <PassengersAndVehicle t={t} dir={dir} booking={booking} />
      <PriceBreakdown locale={locale} t={t} dir={dir} booking={booking} />
      <SectionTitle dir={dir}>{t("bookingConfirmed.ticketsHeading")}</SectionTitle>
      <P dir={dir}>{t("bookingConfirmed.ticketsIntro")}</P>
      <QrTickets t={t} dir={dir} tickets={props.tickets} />
      <ManageCta ctx={ctx} secondary />
    </BookingEmail>
  );
}
