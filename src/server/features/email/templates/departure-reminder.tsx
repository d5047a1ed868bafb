import { Callout, Cta, EmailShell, P } from "./layout";
import type { TemplateContext } from "./context";
import { LegCard } from "./parts";
import type { BookingLeg } from "@/server/db/queries/booking";

export function DepartureReminderEmail(props: { ctx: TemplateContext; preview: string; leg: BookingLeg }) {
  const { t, dir, locale, booking } = props.ctx;
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={t("departureReminder.heading")}
      reference={booking.reference}
    >
      <P dir={dir}>{t("common.greeting")}</P>
      <P dir={dir}>
        {t("departureReminder.intro", { direction: t(`common.direction.${props.leg.direction}`) })}
      </P>
      <LegCard locale={locale} t={t} dir={dir} leg={props.leg} />
      <Callout dir={dir}>
        <P dir={dir}>{t("departureReminder.checklist")}</P>
      </Callout>
      <P dir={dir}>{t("departureReminder.tickets")}</P>
      <Cta href={props.ctx.ticketUrl} dir={dir}>
        {t("common.openTickets")}
      </Cta>
      <Cta href={props.ctx.manageUrl} dir={dir} secondary>
        {t("common.manageBooking")}
      </Cta>
    </EmailShell>
  );
}
