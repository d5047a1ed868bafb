"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { errorMessage } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { ACCOMMODATION_NAMES, dateTime, money, nameOf, priceLineItem, VEHICLE_NAMES, when } from "../format";
import { SimpleTable } from "../simple-table";
import { Alert, Badge, btnLink, Facts, Loading, Section } from "../ui";
import { BookingActions } from "./booking-actions";
import { BookingEmails } from "./booking-emails";
import { PaymentFlags } from "./payment-flags";

/** Everything about one booking, with cancel, refund and resend. Refreshes itself while money or mail is in flight. */
export function BookingDetail({ reference }: { reference: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.admin.bookings.get.queryOptions({ reference }),
    refetchInterval: (query) => {
      const b = query.state.data;
      if (!b) return 30_000;
      const busy =
        b.refunds.some((r) => r.status === "PENDING") ||
        b.emails.some((e) => e.status === "QUEUED") ||
        b.payments.some((p) => p.status === "PENDING" && b.status === "PENDING_PAYMENT");
      // Quick while money or mail is moving (the worker and Stripe answer within seconds), slow otherwise.
      return busy ? 3000 : 30_000;
    },
  });
  if (q.isPending) return <Loading what="Loading the booking…" />;
  if (q.isError)
    return (
      <>
        <h1 className="text-2xl font-bold text-sea-900">Booking {reference}</h1>
        <Alert>{errorMessage(q.error)}</Alert>
        <p>
          <Link className={btnLink} href="/admin/bookings">
            Back to the search
          </Link>
        </p>
      </>
    );
  const b = q.data;
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="grid gap-1">
          <p>
            <Link className={btnLink} href="/admin/bookings">
              ← Bookings
            </Link>
          </p>
          <h1 className="flex items-center gap-3 text-2xl font-bold text-sea-900">
            <span>
              Booking <span className="font-mono">{b.reference}</span>
            </span>
            <Badge value={b.status} />
          </h1>
        </div>
        <BookingActions booking={b} />
      </div>
      <PaymentFlags booking={b} />
      <div className="grid gap-5 lg:grid-cols-2">
        <Section title="Summary">
          <Facts
            items={[
              ["Total", money(b.total.amount, b.total.currency)],
              [
                "Still refundable",
                b.refundable.currency ? money(b.refundable.amount, b.refundable.currency) : "—",
              ],
              ["Contact", b.contactEmail],
              ["Phone", b.contactPhone ?? "—"],
              ["Language", b.locale],
              ["Created", when(b.createdAt)],
              ["Confirmed", when(b.confirmedAt)],
              ["Cancelled", when(b.cancelledAt)],
              ...(b.status === "PENDING_PAYMENT"
                ? ([["Hold expires", when(b.holdExpiresAt)]] as [string, string][])
                : []),
              ...(b.expiredAt ? ([["Expired", when(b.expiredAt)]] as [string, string][]) : []),
              [
                "E-ticket",
                b.ticketUrl ? (
                  <a key="t" className={btnLink} href={b.ticketUrl} target="_blank" rel="noreferrer">
                    Open the e-ticket
                  </a>
                ) : (
                  "—"
                ),
              ],
            ]}
          />
        </Section>
        <Section title="Travellers">
          <table className="w-full text-sm">
            <caption className="sr-only">Passengers</caption>
            <thead className="text-left">
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Born</th>
                <th scope="col">Nationality</th>
                <th scope="col">Document</th>
              </tr>
            </thead>
            <tbody>
              {b.passengers.map((p) => (
                <tr key={p.id} className="border-t border-slate-200">
                  <td>
                    {p.firstName} {p.lastName}
                  </td>
                  <td>{p.type}</td>
                  <td>{p.dateOfBirth ?? "—"}</td>
                  <td>{p.nationality ?? "—"}</td>
                  <td>{p.hasDocument ? "given" : "not given"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Facts
            items={[
              [
                "Vehicle",
                b.vehicle
                  ? `${nameOf(VEHICLE_NAMES, b.vehicle.type)}, ${b.vehicle.registration}${b.vehicle.heightCm ? `, ${b.vehicle.heightCm} cm high` : ""}${b.vehicle.lengthCm ? `, ${b.vehicle.lengthCm} cm long` : ""}`
                  : "none",
              ],
              ["Pets", b.pets ? String(b.pets) : "none"],
            ]}
          />
        </Section>
      </div>
      <Section title="Legs">
        <SimpleTable
          caption="Legs"
          head={[
            "Direction",
            "Route",
            "Departure (port time)",
            "Arrival (port time)",
            "Operator · vessel",
            "Class",
            "Sailing",
          ]}
          rows={b.legs.map((l) => [
            l.direction.toLowerCase(),
            `${l.from.code} → ${l.to.code} (${l.from.name} → ${l.to.name})`,
            dateTime(l.departureAt, l.from.timeZone),
            dateTime(l.arrivalAt, l.to.timeZone),
            `${l.operator.name} · ${l.vessel}`,
            nameOf(ACCOMMODATION_NAMES, l.accommodation),
            <span key="s" className="flex items-center gap-2">
              <Badge value={l.sailingStatus} />
              <Link className={btnLink} href={`/admin/bookings?sailing=${l.sailingId}`}>
                #{l.sailingId}
              </Link>
            </span>,
          ])}
        />
      </Section>
      <Section title="Price">
        <SimpleTable
          caption="Price lines"
          head={["Leg", "Item", "Quantity", "Unit price", "Amount"]}
          numeric={[2, 3, 4]}
          rows={b.priceLines.map((l) => [
            l.direction.toLowerCase(),
            priceLineItem(l),
            String(l.quantity),
            money(l.unitAmount, l.currency),
            money(l.amount, l.currency),
          ])}
          foot={["Total", "", "", "", money(b.total.amount, b.total.currency)]}
        />
      </Section>
      <div className="grid gap-5 lg:grid-cols-2">
        <Section title="Payments">
          <SimpleTable
            caption="Payments"
            head={["Status", "Amount", "Refunded", "Stripe", "Updated"]}
            rows={b.payments.map((p) => [
              <span key="s" className="flex flex-wrap gap-1">
                <Badge value={p.status} />
                {p.flag ? <Badge value={p.flag} /> : null}
              </span>,
              money(p.amount, p.currency),
              money(p.amountRefunded, p.currency),
              <span key="i" className="font-mono text-xs break-all">
                {p.checkoutSessionId}
                {p.paymentIntentId ? <br /> : null}
                {p.paymentIntentId}
                {p.failureMessage ? <span className="block text-coral-700">{p.failureMessage}</span> : null}
              </span>,
              when(p.updatedAt),
            ])}
            empty="No payment yet."
          />
        </Section>
        <Section title="Refunds">
          <SimpleTable
            caption="Refunds"
            head={["Status", "Amount", "Reason", "By", "Stripe refund", "Requested"]}
            rows={b.refunds.map((r) => [
              <Badge key="s" value={r.status} />,
              money(r.amount, r.currency),
              r.reason.replaceAll("_", " ").toLowerCase(),
              r.createdBy ?? "system",
              <span key="i" className="font-mono text-xs break-all">
                {r.stripeRefundId ?? "—"}
                {r.failureReason ? <span className="block text-coral-700">{r.failureReason}</span> : null}
              </span>,
              when(r.createdAt),
            ])}
            empty="No refund."
          />
        </Section>
      </div>
      <BookingEmails booking={b} />
      <Section title="Timeline">
        <ol className="grid gap-1 text-sm">
          {b.timeline.map((t, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: events have no id and two can share time, type and text.
            <li key={i} className="grid grid-cols-[14rem_1fr] gap-3 border-t border-slate-100 py-1">
              <time dateTime={t.at.toISOString()} className="text-slate-600">
                {when(t.at)}
              </time>
              <span>
                {t.summary} <span className="text-xs text-slate-500">({t.type})</span>
              </span>
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}
