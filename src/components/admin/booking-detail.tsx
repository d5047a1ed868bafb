"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { errorMessage, readAppError } from "@/trpc/errors";
import {
  ACCOMMODATION_NAMES,
  dateTime,
  money,
  parseMajor,
  toMajorString,
  VEHICLE_NAMES,
  when,
} from "./format";
import { PaymentFlags } from "./payment-flags";
import type { AdminOutputs } from "./types";
import {
  Alert,
  Badge,
  btnDangerOutline,
  btnLink,
  btnSecondary,
  Facts,
  Input,
  Loading,
  Section,
  Textarea,
} from "./ui";

type Booking = AdminOutputs["bookings"]["get"];

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
        <Actions booking={b} />
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
                  ? `${VEHICLE_NAMES[b.vehicle.type] ?? b.vehicle.type}, ${b.vehicle.registration}${b.vehicle.heightCm ? `, ${b.vehicle.heightCm} cm high` : ""}${b.vehicle.lengthCm ? `, ${b.vehicle.lengthCm} cm long` : ""}`
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
            ACCOMMODATION_NAMES[l.accommodation] ?? l.accommodation,
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
            l.description,
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
      <Emails booking={b} />
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

function SimpleTable({
  caption,
  head,
  rows,
  foot,
  numeric = [],
  empty = "None.",
}: {
  caption: string;
  head: string[];
  rows: React.ReactNode[][];
  foot?: React.ReactNode[];
  numeric?: number[];
  empty?: string;
}) {
  const align = (i: number) => (numeric.includes(i) ? "text-right tabular-nums" : "");
  if (rows.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-sand-100 text-left">
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={`px-2 py-1.5 ${align(i)}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, ri) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static rows of one render, never reordered.
            <tr key={ri} className="border-t border-slate-200 align-top">
              {r.map((c, ci) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional.
                <td key={ci} className={`px-2 py-1.5 ${align(ci)}`}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {foot ? (
          <tfoot>
            <tr className="border-t-2 border-slate-400 font-bold">
              {foot.map((c, ci) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional.
                <td key={ci} className={`px-2 py-1.5 ${align(ci)}`}>
                  {c}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

function Emails({ booking }: { booking: Booking }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const resend = useMutation(trpc.admin.bookings.resendEmail.mutationOptions());
  return (
    <Section title="Emails">
      <SimpleTable
        caption="Emails"
        head={["Email", "To", "Status", "Attempts", "Last error", "Queued", "Sent", "Action"]}
        rows={booking.emails.map((e) => [
          e.kind.replaceAll("_", " "),
          e.recipient,
          <Badge key="s" value={e.status} />,
          String(e.attempts),
          e.lastError ? (
            <span key="e" className="text-coral-700">
              {e.lastError}
            </span>
          ) : (
            "—"
          ),
          when(e.createdAt),
          when(e.sentAt),
          <button
            key="r"
            type="button"
            className={btnSecondary}
            disabled={resend.isPending && resend.variables?.outboxId === e.id}
            onClick={() =>
              resend.mutate(
                { outboxId: e.id },
                {
                  onSuccess: () => {
                    toast.success(
                      `The ${e.kind.replaceAll("_", " ")} email is queued again for ${e.recipient}.`,
                    );
                    void qc.invalidateQueries(
                      trpc.admin.bookings.get.queryFilter({ reference: booking.reference }),
                    );
                  },
                  onError: (err) => toast.error(`Email not resent: ${errorMessage(err)}`),
                },
              )
            }
          >
            Resend<span className="sr-only"> {e.kind.replaceAll("_", " ")} email</span>
          </button>,
        ])}
        empty="No email for this booking yet."
      />
    </Section>
  );
}

function Actions({ booking }: { booking: Booking }) {
  const [open, setOpen] = useState<"cancel" | "refund" | null>(null);
  const canCancel = booking.status === "CONFIRMED" || booking.status === "PENDING_PAYMENT";
  const canRefund =
    booking.refundable.amount > 0 && (booking.status === "CONFIRMED" || booking.status === "CANCELLED");
  return (
    <div className="flex flex-wrap gap-2">
      {canRefund ? (
        <button type="button" className={btnSecondary} onClick={() => setOpen("refund")}>
          Refund…
        </button>
      ) : null}
      {canCancel ? (
        <button type="button" className={btnDangerOutline} onClick={() => setOpen("cancel")}>
          Cancel booking…
        </button>
      ) : null}
      {open === "cancel" ? <CancelDialog booking={booking} onClose={() => setOpen(null)} /> : null}
      {open === "refund" ? <RefundDialog booking={booking} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

function amountRule(currency: string, max: number, min: number) {
  return z
    .string()
    .trim()
    .refine((v) => parseMajor(v, currency) !== null, "Give an amount like 45.50 (at most 2 decimals).")
    .refine((v) => (parseMajor(v, currency) ?? 0) >= min, `Give at least ${money(min, currency)}.`)
    .refine((v) => (parseMajor(v, currency) ?? 0) <= max, `At most ${money(max, currency)} can be refunded.`);
}

function CancelDialog({ booking, onClose }: { booking: Booking; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const p = booking.cancelPreview;
  const currency = p.refund.currency;
  const paid = booking.status === "CONFIRMED";
  const schema = z
    .object({
      rule: z.enum(["POLICY", "AMOUNT"]),
      amount: z.string(),
      note: z.string().max(500, "Keep the note under 500 characters."),
    })
    .superRefine((v, ctx) => {
      if (v.rule !== "AMOUNT") return;
      const r = amountRule(currency, p.maxRefund, 0).safeParse(v.amount);
      if (!r.success)
        ctx.addIssue({
          code: "custom",
          path: ["amount"],
          message: r.error.issues[0]?.message ?? "Invalid amount.",
        });
    });
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      rule: "POLICY",
      amount: toMajorString(Math.min(p.refund.amount, p.maxRefund), currency),
      note: "",
    },
  });
  const cancel = useMutation(trpc.admin.bookings.cancel.mutationOptions());
  const rule = form.watch("rule");
  const { errors } = form.formState;
  const formId = "cancel-booking-form";

  const submit = form.handleSubmit((v) =>
    cancel.mutate(
      {
        reference: booking.reference,
        refundAmount: paid && v.rule === "AMOUNT" ? parseMajor(v.amount, currency)! : undefined,
        note: v.note.trim() || undefined,
      },
      {
        onSuccess: (r) => {
          toast.success(
            `Booking ${booking.reference} cancelled${r.refund.amount > 0 ? `; refund of ${money(r.refund.amount, r.refund.currency)} requested` : ""}.`,
          );
          void qc.invalidateQueries(trpc.admin.bookings.pathFilter());
          void qc.invalidateQueries(trpc.admin.schedule.pathFilter());
          onClose();
        },
        onError: (e) => {
          const pe = readAppError(e);
          if (pe.fieldErrors.refundAmount) form.setError("amount", { message: pe.fieldErrors.refundAmount });
          toast.error(`Booking not cancelled: ${pe.message}`);
        },
      },
    ),
  );

  return (
    <ConfirmDialog
      open
      title={`Cancel booking ${booking.reference}?`}
      confirmLabel="Cancel booking"
      cancelLabel="Keep the booking"
      pendingLabel="Cancelling…"
      pending={cancel.isPending}
      error={cancel.isError ? errorMessage(cancel.error) : null}
      onClose={onClose}
      formId={formId}
    >
      <form id={formId} noValidate onSubmit={submit} className="grid gap-3">
        {!p.cancellable && p.reason ? (
          <Alert tone="info">{p.reason} As an admin you can still cancel it.</Alert>
        ) : null}
        {paid ? (
          <>
            <p className="text-base">
              The policy refunds <strong>{money(p.refund.amount, currency)}</strong> ({p.percent}%) of the{" "}
              {money(p.paid.amount, p.paid.currency)} paid.
            </p>
            <p className="text-slate-700">{p.policy}</p>
            <fieldset className="grid gap-2">
              <legend className="font-semibold">Refund</legend>
              <label className="flex items-center gap-2">
                <input type="radio" value="POLICY" {...form.register("rule")} />
                As the policy says: {money(Math.min(p.refund.amount, p.maxRefund), currency)}
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" value="AMOUNT" {...form.register("rule")} />
                Override the amount
              </label>
            </fieldset>
            {rule === "AMOUNT" ? (
              <Input
                label={`Refund amount (${currency})`}
                inputMode="decimal"
                hint={`From 0 to ${money(p.maxRefund, currency)}`}
                error={errors.amount?.message}
                className="w-48"
                {...form.register("amount")}
              />
            ) : null}
          </>
        ) : (
          <p>This booking is not paid: cancelling releases its places and refunds nothing.</p>
        )}
        <Textarea
          label="Note for the audit log (optional)"
          error={errors.note?.message}
          {...form.register("note")}
        />
        <p className="text-slate-700">The traveller is emailed; the places go back on sale.</p>
      </form>
    </ConfirmDialog>
  );
}

function RefundDialog({ booking, onClose }: { booking: Booking; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const max = booking.refundable.amount;
  const currency = booking.refundable.currency ?? booking.total.currency;
  const schema = z
    .object({
      rule: z.enum(["FULL", "PARTIAL"]),
      amount: z.string(),
      note: z.string().max(500, "Keep the note under 500 characters."),
    })
    .superRefine((v, ctx) => {
      if (v.rule !== "PARTIAL") return;
      const r = amountRule(currency, max, 1).safeParse(v.amount);
      if (!r.success)
        ctx.addIssue({
          code: "custom",
          path: ["amount"],
          message: r.error.issues[0]?.message ?? "Invalid amount.",
        });
    });
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { rule: "FULL", amount: "", note: "" },
  });
  const refund = useMutation(trpc.admin.bookings.refund.mutationOptions());
  const rule = form.watch("rule");
  const amount = form.watch("amount");
  const partial = parseMajor(amount, currency);
  const { errors } = form.formState;
  const formId = "refund-booking-form";
  const shown =
    rule === "FULL"
      ? money(max, currency)
      : partial !== null && partial > 0
        ? money(partial, currency)
        : null;

  const submit = form.handleSubmit((v) =>
    refund.mutate(
      {
        reference: booking.reference,
        amount: v.rule === "PARTIAL" ? parseMajor(v.amount, currency)! : undefined,
        note: v.note.trim() || undefined,
      },
      {
        onSuccess: (r) => {
          toast.success(
            `Refund of ${money(r.amount, r.currency)} requested for ${booking.reference}; the traveller is emailed when Stripe confirms.`,
          );
          void qc.invalidateQueries(trpc.admin.bookings.pathFilter());
          onClose();
        },
        onError: (e) => {
          const pe = readAppError(e);
          if (pe.fieldErrors.amount) form.setError("amount", { message: pe.fieldErrors.amount });
          toast.error(`Refund not made: ${pe.message}`);
        },
      },
    ),
  );

  return (
    <ConfirmDialog
      open
      title={`Refund booking ${booking.reference}?`}
      confirmLabel={shown ? `Refund ${shown}` : "Refund"}
      cancelLabel="Don't refund"
      pendingLabel="Refunding…"
      pending={refund.isPending}
      error={refund.isError ? errorMessage(refund.error) : null}
      onClose={onClose}
      formId={formId}
    >
      <form id={formId} noValidate onSubmit={submit} className="grid gap-3">
        <p className="text-base">
          <strong>{money(max, currency)}</strong> can still be refunded on this booking. The booking itself
          stays {booking.status.toLowerCase()}.
        </p>
        <fieldset className="grid gap-2">
          <legend className="font-semibold">Amount</legend>
          <label className="flex items-center gap-2">
            <input type="radio" value="FULL" {...form.register("rule")} />
            Full refund: {money(max, currency)}
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" value="PARTIAL" {...form.register("rule")} />
            Partial refund
          </label>
        </fieldset>
        {rule === "PARTIAL" ? (
          <Input
            label={`Refund amount (${currency})`}
            inputMode="decimal"
            hint={`Up to ${money(max, currency)}`}
            error={errors.amount?.message}
            className="w-48"
            {...form.register("amount")}
          />
        ) : null}
        <Textarea
          label="Note for the audit log (optional)"
          error={errors.note?.message}
          {...form.register("note")}
        />
        <p className="text-slate-700">
          Stripe is asked by the worker; the refund email goes when Stripe confirms.
        </p>
      </form>
    </ConfirmDialog>
  );
}
