import { Img, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import type { Locale } from "@/server/db/schema/bookings";
import { formatAmount, formatPortDateTime, formatZoneName } from "@/server/lib/intl-format";
import { type EmailTranslator, portName } from "../i18n";
import type { BookingView, LegView, PriceLineView } from "@/server/features/tickets/load-booking";
import { colors, type Dir, SectionTitle } from "./layout";

/** Shared blocks: the itinerary, passengers, vehicle, price breakdown and QR tickets. */

export function arrow(dir: Dir): string {
  // An arrow in right-to-left text must point left to read "from → to".
  return dir.rtl ? "←" : "→";
}

function KeyValue(props: { dir: Dir; label: string; children: ReactNode }) {
  return (
    <tr>
      <td
        style={{
          padding: "4px 0",
          width: "110px",
          verticalAlign: "top",
          fontSize: "14px",
          color: colors.muted,
          textAlign: props.dir.start,
        }}
      >
        {props.label}
      </td>
      <td style={{ padding: "4px 0", fontSize: "15px", lineHeight: "22px", textAlign: props.dir.start }}>
        {props.children}
      </td>
    </tr>
  );
}

export function LegCard(props: { locale: Locale; t: EmailTranslator; dir: Dir; leg: LegView }) {
  const { locale, t, dir, leg } = props;
  const from = portName(t, leg.from);
  const to = portName(t, leg.to);
  const when = (at: Date, zone: string) => (
    <>
      <strong>{formatPortDateTime(locale, at, zone)}</strong>
      <br />
      <span style={{ fontSize: "13px", color: colors.muted }}>
        {t("common.localTime", { zone: formatZoneName(locale, at, zone) })}
      </span>
    </>
  );
  return (
    <Section
      style={{
        border: `1px solid ${colors.line}`,
        borderRadius: "6px",
        padding: "8px 16px",
        margin: "8px 0",
        textAlign: dir.start,
      }}
    >
      <Text style={{ margin: "4px 0", fontSize: "16px", fontWeight: 700, textAlign: dir.start }}>
        {t(`common.direction.${leg.direction}`)} · {from} {arrow(dir)} {to}
      </Text>
      {leg.sailingStatus === "CANCELLED" ? (
        <Text style={{ margin: "4px 0", fontSize: "14px", fontWeight: 700, color: colors.warn }}>
          {t("common.cancelledSailing")}
        </Text>
      ) : null}
      <table
        className="data"
        role="presentation"
        width="100%"
        cellPadding={0}
        cellSpacing={0}
        style={{ borderCollapse: "collapse" }}
      >
        <tbody>
          <KeyValue dir={dir} label={t("common.departs")}>
            {from}
            <br />
            {when(leg.departureAt, leg.from.timeZone)}
          </KeyValue>
          <KeyValue dir={dir} label={t("common.arrives")}>
            {to}
            <br />
            {when(leg.arrivalAt, leg.to.timeZone)}
          </KeyValue>
          <KeyValue dir={dir} label={t("common.accommodation")}>
            {t(`common.accommodationName.${leg.accommodation}`)}
          </KeyValue>
          <KeyValue dir={dir} label={t("common.operator")}>
            {t("common.operatedBy", { operator: leg.operator, vessel: leg.vessel })}
          </KeyValue>
          {leg.operatorReference ? (
            <KeyValue dir={dir} label={t("common.operatorReference")}>
              {leg.operatorReference}
            </KeyValue>
          ) : null}
        </tbody>
      </table>
    </Section>
  );
}

export function Itinerary(props: { locale: Locale; t: EmailTranslator; dir: Dir; legs: LegView[] }) {
  return (
    <>
      <SectionTitle dir={props.dir}>{props.t("common.itinerary")}</SectionTitle>
      {props.legs.map((leg) => (
        <LegCard key={leg.direction} locale={props.locale} t={props.t} dir={props.dir} leg={leg} />
      ))}
    </>
  );
}

export function PassengersAndVehicle(props: { t: EmailTranslator; dir: Dir; booking: BookingView }) {
  const { t, dir, booking } = props;
  return (
    <>
      <SectionTitle dir={dir}>{t("common.passengers")}</SectionTitle>
      <table
        className="data"
        role="presentation"
        width="100%"
        cellPadding={0}
        cellSpacing={0}
        style={{ borderCollapse: "collapse" }}
      >
        <tbody>
          {booking.passengers.map((p) => (
            <tr key={p.id}>
              <td style={{ padding: "4px 0", fontSize: "15px", textAlign: dir.start }}>
                {p.firstName} {p.lastName}
              </td>
              <td style={{ padding: "4px 0", fontSize: "14px", color: colors.muted, textAlign: dir.end }}>
                {t(`common.passengerType.${p.type}`)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {booking.vehicle ? (
        <>
          <SectionTitle dir={dir}>{t("common.vehicle")}</SectionTitle>
          <Text style={{ fontSize: "15px", margin: "4px 0", textAlign: dir.start }}>
            {t("common.vehicleLine", {
              type: t(`common.vehicleType.${booking.vehicle.type}`),
              // Isolated left-to-right: "123 TU 4567" must not be reordered inside Arabic text.
              registration: `\u2066${booking.vehicle.registration}\u2069`,
            })}
          </Text>
        </>
      ) : null}
    </>
  );
}

/** A price line in the email's language, from its kind and codes (the stored description is English). */
function priceLineLabel(t: EmailTranslator, line: PriceLineView): string {
  if (line.kind === "PASSENGER" && line.passengerType && line.accommodation)
    return t("common.priceLine.passenger", {
      type: t(`common.passengerType.${line.passengerType}`),
      accommodation: t(`common.accommodationName.${line.accommodation}`),
    });
  if (line.kind === "VEHICLE" && line.vehicleType)
    return t("common.priceLine.vehicle", { type: t(`common.vehicleType.${line.vehicleType}`) });
  if (line.kind === "PET") return t("common.priceLine.pet");
  if (line.kind === "FEE") return t("common.priceLine.fee");
  return line.description;
}

export function PriceBreakdown(props: {
  locale: Locale;
  t: EmailTranslator;
  dir: Dir;
  booking: BookingView;
}) {
  const { locale, t, dir, booking } = props;
  const cell = { padding: "6px 0", fontSize: "14px", borderBottom: `1px solid ${colors.line}` };
  return (
    <>
      <SectionTitle dir={dir}>{t("common.priceBreakdown")}</SectionTitle>
      <table
        className="data"
        role="presentation"
        width="100%"
        cellPadding={0}
        cellSpacing={0}
        style={{ borderCollapse: "collapse" }}
      >
        <tbody>
          {booking.priceLines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: price lines are a fixed snapshot, never reordered
            <tr key={i}>
              <td style={{ ...cell, textAlign: dir.start }}>
                {t(`common.direction.${line.direction}`)} · {priceLineLabel(t, line)}
                {line.quantity > 1 ? (
                  <span style={{ color: colors.muted }}>
                    {" "}
                    × {line.quantity} ({formatAmount(locale, line.unitAmount, line.currency)})
                  </span>
                ) : null}
              </td>
              <td style={{ ...cell, textAlign: dir.end, whiteSpace: "nowrap" }}>
                {formatAmount(locale, line.amount, line.currency)}
              </td>
            </tr>
          ))}
          <tr>
            <td style={{ padding: "10px 0", fontSize: "16px", fontWeight: 700, textAlign: dir.start }}>
              {t("common.total")}
            </td>
            <td
              style={{
                padding: "10px 0",
                fontSize: "16px",
                fontWeight: 700,
                textAlign: dir.end,
                whiteSpace: "nowrap",
              }}
            >
              {formatAmount(locale, booking.totalAmount, booking.currency)}
            </td>
          </tr>
        </tbody>
      </table>
    </>
  );
}

export interface QrImage {
  /** `cid:` reference to an inline attachment: shown by Gmail, Outlook and Apple Mail, unlike data: URIs. */
  src: string;
  name: string;
  direction: string;
  date: string;
}

export function QrTickets(props: { t: EmailTranslator; dir: Dir; tickets: QrImage[] }) {
  const { t, dir } = props;
  return (
    <table
      className="data"
      role="presentation"
      width="100%"
      cellPadding={0}
      cellSpacing={0}
      style={{ borderCollapse: "collapse" }}
    >
      <tbody>
        {props.tickets.map((ticket) => (
          <tr key={ticket.src}>
            <td style={{ padding: "8px 0", width: "180px", verticalAlign: "middle", textAlign: dir.start }}>
              <Img
                src={ticket.src}
                width="160"
                height="160"
                alt={t("bookingConfirmed.qrAlt", { name: ticket.name, direction: ticket.direction })}
                style={{ display: "block", border: `1px solid ${colors.line}` }}
              />
            </td>
            <td
              style={{
                padding: "8px 12px",
                fontSize: "15px",
                lineHeight: "22px",
                verticalAlign: "middle",
                textAlign: dir.start,
              }}
            >
              <strong>{ticket.name}</strong>
              <br />
              {ticket.direction}
              <br />
              <span style={{ color: colors.muted }}>{ticket.date}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
