import { plainTextSelectors, render, toPlainText } from "@react-email/components";
import type { ReactElement } from "react";
import { z } from "zod";
import { appUrl } from "@/env";
import type { Locale } from "@/server/db/schema/bookings";
import { paymentRefundReasons } from "@/server/db/schema/payments";
import { qrPng } from "@/server/features/tickets/qr";
import { manageBookingUrl, ticketUrl } from "@/server/features/tickets/ticket-link";
import { ticketEntries, ticketLinkToken } from "@/server/features/tickets/tickets";
import { formatAmount, formatPortDate, formatPortDateTime } from "@/server/lib/intl-format";
import { emailTranslator, portName } from "./i18n";
import type { BookingDocument, BookingLeg } from "@/server/db/queries/booking";
import type { EmailKind } from "./outbox";
import { BookingCancelledEmail } from "./templates/booking-cancelled";
import { BookingConfirmedEmail } from "./templates/booking-confirmed";
import type { TemplateContext } from "./templates/context";
import { DepartureReminderEmail } from "./templates/departure-reminder";
import { HoldExpiredEmail } from "./templates/hold-expired";
import { LatePaymentRefundedEmail } from "./templates/late-payment-refunded";
import { dirFor } from "./templates/layout";
import { RefundCompletedEmail } from "./templates/refund-completed";
import { RefundFailedEmail } from "./templates/refund-failed";
import { SailingNoticeEmail } from "./templates/sailing-notice";

export interface InlineImage {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Referenced from the HTML as `cid:<contentId>`. */
  contentId: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  attachments: InlineImage[];
}

/**
 * A template that can never render (the booking is gone, the data is not what the kind needs): retrying
 * will not help, so the sender marks the email FAILED at once with this message for admins.
 */
export class EmailRenderError extends Error {
  override name = "EmailRenderError";
}

/** The `data` each kind expects from queueEmail; parsed because outbox rows outlive code too. */
export const emailDataSchemas = {
  booking_confirmed: z.object({}),
  hold_expired: z.object({}),
  booking_cancelled: z.object({ refundAmount: z.number().int().min(0), currency: z.string().length(3) }),
  refund_completed: z.object({
    refundId: z.string(),
    amount: z.number().int().positive(),
    currency: z.string().length(3),
  }),
  refund_failed: z.object({
    refundId: z.string(),
    amount: z.number().int().positive(),
    currency: z.string().length(3),
    reason: z.string().max(500).nullish(),
  }),
  late_payment_refunded: z.object({
    amount: z.number().int().positive().optional(),
    currency: z.string().length(3).optional(),
    /** Why the payment was refunded; the email states it. Absent only in rows from before it was sent. */
    reason: z.enum(paymentRefundReasons).default("LATE_PAYMENT_NO_CAPACITY"),
  }),
  departure_reminder: z.object({ direction: z.enum(["OUTBOUND", "RETURN"]).optional() }),
  sailing_notice: z.object({
    sailingId: z.number().int().positive(),
    change: z.enum(["changed", "cancelled"]),
    message: z.string().max(2000).nullish(),
  }),
} satisfies Record<EmailKind, z.ZodType>;

function parseData<K extends EmailKind>(kind: K, data: unknown): z.output<(typeof emailDataSchemas)[K]> {
  const parsed = emailDataSchemas[kind].safeParse(data ?? {});
  if (!parsed.success) {
    throw new EmailRenderError(
      `Template data for ${kind} is invalid: ${parsed.error.issues[0]?.message ?? "?"}`,
    );
  }
  return parsed.data as z.output<(typeof emailDataSchemas)[K]>;
}

function legFor(booking: BookingDocument, pick: (leg: BookingLeg) => boolean, what: string): BookingLeg {
  const leg = booking.legs.find(pick);
  if (!leg) throw new EmailRenderError(`Booking ${booking.id} has no ${what}`);
  return leg;
}

async function finish(
  subject: string,
  element: ReactElement,
  attachments: InlineImage[] = [],
): Promise<RenderedEmail> {
  const rawHtml = await render(element);
  // Text from the HTML we already have (what render's plainText option does, minus a second React render).
  const text = toPlainText(rawHtml, {
    wordwrap: 100,
    // Our key/value and price tables read as aligned columns; layout tables stay plain blocks.
    selectors: [
      ...plainTextSelectors,
      {
        selector: "table.data",
        format: "dataTable",
        options: { uppercaseHeaderCells: false, maxColumnWidth: 70 },
      },
    ],
  });
  // React 19 adds <link rel="preload" as="image"> for every <img>: meaningless in an email, and a `cid:`
  // URL in the <head> confuses some clients. Removing it is safe because the tag is fully generated.
  const html = rawHtml.replace(/<link rel="preload" as="image"[^>]*\/?>/g, "");
  return { subject, html, text, attachments };
}

/**
 * Renders one email from the booking as it is now plus the event's data. Deterministic for the same
 * inputs (no clock, no randomness): a retry must send the same body under the same Idempotency-Key.
 */
export async function renderEmail(input: {
  kind: EmailKind;
  locale: Locale;
  data: unknown;
  booking: BookingDocument | null;
}): Promise<RenderedEmail> {
  const { kind, locale } = input;
  const booking = input.booking;
  if (!booking) throw new EmailRenderError(`The booking of this ${kind} email no longer exists`);
  if (booking.legs.length === 0) throw new EmailRenderError(`Booking ${booking.id} has no legs`);
  const t = emailTranslator(locale);
  const dir = dirFor(locale);
  const ctx: TemplateContext = {
    locale,
    t,
    dir,
    booking,
    manageUrl: manageBookingUrl(locale, booking.reference),
    ticketUrl: ticketUrl(locale, ticketLinkToken(booking)),
    searchUrl: `${appUrl()}/${locale}`,
  };
  const first = booking.legs[0]!;
  const ref = booking.reference;
  const from = portName(t, first.from);
  const to = portName(t, first.to);

  switch (kind) {
    case "booking_confirmed": {
      parseData(kind, input.data);
      const entries = ticketEntries(booking);
      const pngs = await Promise.all(entries.map((e) => qrPng(e.code)));
      const attachments = pngs.map((content, i) => ({
        filename: `ticket-${i + 1}.png`,
        content,
        contentType: "image/png",
        contentId: `ticket-${i + 1}`,
      }));
      const tickets = entries.map((e, i) => ({
        src: `cid:ticket-${i + 1}`,
        name: `${e.passenger.firstName} ${e.passenger.lastName}`,
        direction: `${t(`common.direction.${e.leg.direction}`)} · ${portName(t, e.leg.from)} ${dir.rtl ? "←" : "→"} ${portName(t, e.leg.to)}`,
        date: formatPortDateTime(locale, e.leg.departureAt, e.leg.from.timeZone),
      }));
      const date = formatPortDate(locale, first.departureAt, first.from.timeZone);
      return finish(
        t("bookingConfirmed.subject", { reference: ref, from, to }),
        <BookingConfirmedEmail
          ctx={ctx}
          preview={t("bookingConfirmed.preview", { date })}
          tickets={tickets}
        />,
        attachments,
      );
    }
    case "hold_expired":
      parseData(kind, input.data);
      return finish(
        t("holdExpired.subject", { reference: ref }),
        <HoldExpiredEmail ctx={ctx} preview={t("holdExpired.preview")} />,
      );
    case "booking_cancelled": {
      const data = parseData(kind, input.data);
      const refund = data.refundAmount > 0 ? formatAmount(locale, data.refundAmount, data.currency) : null;
      return finish(
        t("bookingCancelled.subject", { reference: ref }),
        <BookingCancelledEmail ctx={ctx} preview={t("bookingCancelled.preview")} refund={refund} />,
      );
    }
    case "refund_completed": {
      const data = parseData(kind, input.data);
      const amount = formatAmount(locale, data.amount, data.currency);
      return finish(
        t("refundCompleted.subject", { reference: ref, amount }),
        <RefundCompletedEmail ctx={ctx} preview={t("refundCompleted.preview")} amount={amount} />,
      );
    }
    case "refund_failed": {
      const data = parseData(kind, input.data);
      const amount = formatAmount(locale, data.amount, data.currency);
      return finish(
        t("refundFailed.subject", { reference: ref }),
        <RefundFailedEmail
          ctx={ctx}
          preview={t("refundFailed.preview")}
          amount={amount}
          reason={data.reason ?? null}
        />,
      );
    }
    case "late_payment_refunded": {
      const data = parseData(kind, input.data);
      const amount = formatAmount(
        locale,
        data.amount ?? booking.totalAmount,
        data.currency ?? booking.currency,
      );
      return finish(
        t("latePaymentRefunded.subject", { reference: ref }),
        <LatePaymentRefundedEmail
          ctx={ctx}
          preview={t("latePaymentRefunded.preview")}
          amount={amount}
          reason={data.reason}
        />,
      );
    }
    case "departure_reminder": {
      const data = parseData(kind, input.data);
      const leg = legFor(booking, (l) => l.direction === (data.direction ?? "OUTBOUND"), "leg to remind of");
      const legFrom = portName(t, leg.from);
      const legTo = portName(t, leg.to);
      const when = formatPortDateTime(locale, leg.departureAt, leg.from.timeZone);
      return finish(
        t("departureReminder.subject", { to: legTo, when }),
        <DepartureReminderEmail
          ctx={ctx}
          preview={t("departureReminder.preview", { from: legFrom })}
          leg={leg}
        />,
      );
    }
    case "sailing_notice": {
      const data = parseData(kind, input.data);
      const leg = legFor(booking, (l) => l.sailingId === data.sailingId, `leg on sailing ${data.sailingId}`);
      const legFrom = portName(t, leg.from);
      const legTo = portName(t, leg.to);
      const subjectKey =
        data.change === "cancelled" ? "sailingNotice.subjectCancelled" : "sailingNotice.subjectChanged";
      return finish(
        t(subjectKey, { from: legFrom, to: legTo, reference: ref }),
        <SailingNoticeEmail
          ctx={ctx}
          preview={t("sailingNotice.preview", { from: legFrom, to: legTo })}
          leg={leg}
          change={data.change}
          message={data.message ?? null}
        />,
      );
    }
  }
}
