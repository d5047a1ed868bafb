import type { BookingLeg } from "@/server/db/queries/booking";
import { BookingEmail, ManageCta } from "./booking-email";
import type { TemplateContext } from "./context";
import { Callout, P } from "./layout";
import { LegCard } from "./parts";

export function SailingNoticeEmail(props: {
  ctx: TemplateContext;
  preview: string;
  leg: BookingLeg;
  change: "changed" | "cancelled";
  message: string | null;
}) {
  const { ctx } = props;
  const { t, dir, locale } = ctx;
  const cancelled = props.change === "cancelled";
  const direction = t(`common.direction.${props.leg.direction}`);
  return (
    <BookingEmail
      ctx={ctx}
      preview={props.preview}
      heading={cancelled ? t("sailingNotice.headingCancelled") : t("sailingNotice.headingChanged")}
      tone={cancelled ? "warning" : "normal"}
    >
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
      <ManageCta ctx={ctx} />
    </BookingEmail>
  );
}
