import { getTranslations } from "next-intl/server";
import type { TicketPage } from "@/server/features/tickets/tickets";
import { formatPortDateTime, formatZoneName, intlLocale, isolateName } from "@/shared/format";
import { PrintButton } from "./print-button";

type Ticketed = Extract<TicketPage, { state: "ok" }>;
type LegView = Ticketed["tickets"][number]["leg"];

/**
 * The printable e-ticket: every passenger × leg with its boarding QR code. One ticket per printed block, never
 * split across pages. Times are the ports' own, formatted as the emails format them.
 */
export async function TicketView({
  locale,
  booking,
  tickets,
  manageUrl,
}: Omit<Ticketed, "state"> & { locale: "en" | "fr" | "ar"; manageUrl: string }) {
  const t = await getTranslations("ticket");
  const tp = await getTranslations("ports");
  const port = (code: string, fallback: string) => (tp.has(`${code}.name`) ? tp(`${code}.name`) : fallback);
  const arrow = locale === "ar" ? "←" : "→";
  const intl = intlLocale(locale);
  const when = (at: Date, zone: string) => (
    <>
      <span className="font-semibold">{formatPortDateTime(intl, at, zone)}</span>
      <span className="block text-sm text-slate-600">
        {t("localTime", { zone: formatZoneName(intl, at, zone) })}
      </span>
    </>
  );
  const legSummary = (leg: LegView) =>
    `${t(`direction.${leg.direction}`)} · ${port(leg.from.code, leg.from.name)} ${arrow} ${port(leg.to.code, leg.to.name)}`;

  const notValid =
    booking.status === "CANCELLED" ? "cancelled" : booking.status !== "CONFIRMED" ? "notConfirmed" : null;

  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-8 print:max-w-none print:p-0">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold text-sea-900 md:text-3xl">{t("heading")}</h1>
          <p className="mt-1 text-slate-700">
            {t("reference")}:{" "}
            <span dir="ltr" className="font-mono font-bold text-slate-900">
              {booking.reference}
            </span>
          </p>
        </div>
        {notValid ? null : <PrintButton label={t("print")} />}
      </div>

      {notValid ? (
        <section role="alert" className="mt-6 rounded-md border border-coral-600 bg-coral-50 p-4">
          <h2 className="font-bold text-coral-700">{t(`${notValid}.title`)}</h2>
          <p className="mt-1 text-slate-800">{t(`${notValid}.body`)}</p>
        </section>
      ) : (
        <p className="mt-4 text-slate-700">{t("intro")}</p>
      )}

      <ol className="mt-6 space-y-4">
        {tickets.map((ticket, i) => {
          const name = `${ticket.passenger.firstName} ${ticket.passenger.lastName}`;
          const { leg } = ticket;
          return (
            <li
              key={ticket.code}
              className="break-inside-avoid rounded-lg border border-slate-300 bg-white p-4 print:border-slate-500"
            >
              <div className="flex flex-col gap-4 sm:flex-row">
                {/* biome-ignore lint/performance/noImgElement: a generated data: URI; next/image adds nothing */}
                <img
                  src={ticket.qr}
                  width={200}
                  height={200}
                  alt={t("qrAlt", { name, direction: t(`direction.${leg.direction}`) })}
                  className="h-[200px] w-[200px] shrink-0 self-center border border-slate-200 bg-white"
                />
                <div className="min-w-0 flex-1">
                  <p className="text-sm text-slate-600">
                    {t("ticketOf", { n: i + 1, total: tickets.length })}
                  </p>
                  <h2 className="text-lg font-bold text-slate-900">{name}</h2>
                  <p className="text-sm text-slate-600">{t(`passengerType.${ticket.passenger.type}`)}</p>
                  <p className="mt-2 font-semibold text-sea-900">{legSummary(leg)}</p>
                  {leg.sailingStatus === "CANCELLED" ? (
                    <p className="mt-1 font-semibold text-coral-700">{t("sailingCancelled")}</p>
                  ) : null}
                  <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                    <dt className="text-sm text-slate-600">{t("departs")}</dt>
                    <dd>
                      {port(leg.from.code, leg.from.name)} · {when(leg.departureAt, leg.from.timeZone)}
                    </dd>
                    <dt className="text-sm text-slate-600">{t("arrives")}</dt>
                    <dd>
                      {port(leg.to.code, leg.to.name)} · {when(leg.arrivalAt, leg.to.timeZone)}
                    </dd>
                    <dt className="text-sm text-slate-600">{t("accommodation")}</dt>
                    <dd>{t(`accommodationName.${leg.accommodation}`)}</dd>
                    {booking.vehicle ? (
                      <>
                        <dt className="text-sm text-slate-600">{t("vehicle")}</dt>
                        <dd>
                          <span dir="ltr">{booking.vehicle.registration}</span>
                        </dd>
                      </>
                    ) : null}
                  </dl>
                  <p className="mt-2 text-sm text-slate-600">
                    {t("operatedBy", {
                      operator: isolateName(leg.operator.name),
                      vessel: isolateName(leg.vessel),
                    })}
                  </p>
                </div>
              </div>
            </li>
          );
        })}
      </ol>

      <a className="mt-8 inline-block font-semibold text-sea-700 underline print:hidden" href={manageUrl}>
        {t("manage")}
      </a>
    </main>
  );
}

/** Why there is no ticket to show (a link that is not ours, or one past its date). */
export async function TicketProblem({ locale, state }: { locale: string; state: "invalid" | "expired" }) {
  const t = await getTranslations("ticket");
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="text-2xl font-bold text-sea-900">{t(`${state}.title`)}</h1>
      <p className="mt-3 text-slate-700">{t(`${state}.body`)}</p>
      <a className="mt-6 inline-block font-semibold text-sea-700 underline" href={`/${locale}/manage`}>
        {t("manage")}
      </a>
    </main>
  );
}
