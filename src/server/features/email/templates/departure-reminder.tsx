import type { BookingLeg } from "@/server/db/queries/booking";
import { BookingEmail, ManageCta, TicketsCta } from "./booking-email";
import type { TemplateContext } from "./context";
import { Callout, P } from "./layout";
import { LegCard } from "./parts";

export function DepartureReminderEmail(props: { ctx: TemplateContext; preview: string; leg: BookingLeg }) {
  const { ctx } = props;
  const { t, dir, locale } = ctx;
  return (
    <BookingEmail ctx={ctx} preview={props.preview} heading={t("departureReminder.heading")}>
      <P dir={dir}>
        {t("departureReminder.intro", { direction: t(`common.direction.${props.leg.direction}`) })}
      </P>
      <LegCard locale={locale} t={t} dir={dir} leg={props.leg} />
      <Callout dir={dir}>
        <P dir={dir}>{t("departureReminder.checklist")}</P>
      </Callout>
      <P dir={dir}>{t("departureReminder.tickets")}</P>
      <TicketsCta ctx={ctx} />
      <ManageCta ctx={ctx} secondary />
    </BookingEmail>
  );
}
