"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { errorMessage, readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "../confirm-dialog";
import { AuditNoteField } from "../fields";
import { money, parseMajor } from "../format";
import { refundFormSchema } from "../money-input";
import type { AdminOutputs } from "../types";
import { RefundChoice } from "./refund-choice";
import { fieldOf } from "@/components/admin/form-field";

type Booking = AdminOutputs["bookings"]["get"];

/** Refunds all or part of what is still refundable; the booking keeps its status. */
export function RefundBookingDialog({ booking, onClose }: { booking: Booking; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const max = booking.refundable.amount;
  const currency = booking.refundable.currency ?? booking.total.currency;
  const schema = refundFormSchema(["FULL", "PARTIAL"], { currency, max, min: 1 });
  const form = useForm<z.infer<typeof schema>>({
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
        <RefundChoice
          legend="Amount"
          choices={[
            { value: "FULL", label: `Full refund: ${money(max, currency)}` },
            { value: "PARTIAL", label: "Partial refund" },
          ]}
          rule={form.register("rule")}
          amount={form.register("amount")}
          showAmount={rule === "PARTIAL"}
          currency={currency}
          hint={`Up to ${money(max, currency)}`}
          error={errors.amount?.message}
        />
        <AuditNoteField {...fieldOf(form, "note")} />
        <p className="text-slate-700">
          Stripe is asked by the worker; the refund email goes when Stripe confirms.
        </p>
      </form>
    </ConfirmDialog>
  );
}
