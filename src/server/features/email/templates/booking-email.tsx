import type { ReactNode } from "react";
import type { TemplateContext } from "./context";
import { Cta, EmailShell, P } from "./layout";

/** The frame of every booking email: the shell under the booking's reference, then the greeting. */
export function BookingEmail(props: {
  ctx: TemplateContext;
  preview: string;
  heading: string;
  tone?: "normal" | "warning";
  children: ReactNode;
}) {
  const { t, dir, locale, booking } = props.ctx;
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={props.heading}
      reference={booking.reference}
      tone={props.tone}
    >
      <P dir={dir}>{t("common.greeting")}</P>
      {props.children}
    </EmailShell>
  );
}

/** The button to the booking's own page. */
export function ManageCta(props: { ctx: TemplateContext; secondary?: boolean }) {
  const { t, dir, manageUrl } = props.ctx;
  return (
    <Cta href={manageUrl} dir={dir} secondary={props.secondary}>
      {t("common.manageBooking")}
    </Cta>
  );
}

/** The button to the printable tickets. */
export function TicketsCta(props: { ctx: TemplateContext }) {
  const { t, dir, ticketUrl } = props.ctx;
  return (
    <Cta href={ticketUrl} dir={dir}>
      {t("common.openTickets")}
    </Cta>
  );
}
