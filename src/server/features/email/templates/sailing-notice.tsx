import { Callout, Cta, EmailShell, P } from "./layout";
import type { TemplateContext } from "./context";
import { LegCard } from "./parts";
import type { BookingLeg } from "@/server/db/queries/booking";

export function SailingNoticeEmail(props: {
  ctx: TemplateContext;
  preview: string;
  leg: BookingLeg;
  change: "changed" | "cancelled";
  message: string | null;
}) {
  const { t, dir, locale, booking, manageUrl } = props.ctx;
  const cancelled = props.change === "cancelled";
  const direction = t(`common.direction.${props.leg.direction}`);
  return (
    <EmailShell
      locale={locale}
      t={t}
      preview={props.preview}
      heading={cancelled ? t("sailingNotice.headingCancelled") : t("sailingNotice.headingChanged")}
      reference={booking.reference}
      tone={cancelled ? "warning" : "normal"}
    >
      <P dir={dir}>{t("common.greeting")}</P>
      <P dir={dir}>
        {cancelled
          ? t("sailingNotice.bodyCancelled", { direction })
          : t("sailingNotice.bodyChanged", { direction })}
      </P>
      {props.message ? (
        <Callout dir={dir} tone={cancelled ? "warning" : "info"}>
          <P dir={dir}>{t("sailingNotice.message", { message: props.message })}</P>
        </Callout>
      ) : null}
      <LegCard locale={locale} t={t} dir={dir} leg={props.leg} />
      <Cta href={manageUrl} dir={dir}>
        {t("common.manageBooking")}
      </Cta>
    </EmailShell>
  );
}
