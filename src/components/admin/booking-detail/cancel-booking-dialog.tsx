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
import { money, parseMajor, toMajorString } from "../format";
import { refundFormSchema } from "../money-input";
import type { AdminOutputs } from "../types";
import { Alert } from "../ui";
import { RefundChoice } from "./refund-choice";
import { fieldOf } from "@/components/admin/form-field";

type Booking = AdminOutputs["bookings"]["get"];

/** Cancels the booking, refunding what the policy says or an amount the admin chooses; places go back on sale. */
export function CancelBookingDialog({ booking, onClose }: { booking: Booking; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const p = booking.cancelPreview;
  const currency = p.refund.currency;
  const paid = booking.status === "CONFIRMED";
  const schema = refundFormSchema(["POLICY", "AMOUNT"], { currency, max: p.maxRefund, min: 0 });
  const form = useForm<z.infer<typeof schema>>({
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
            <RefundChoice
              legend="Refund"
              choices={[
                {
                  value: "POLICY",
                  label: `As the policy says: ${money(Math.min(p.refund.amount, p.maxRefund), currency)}`,
                },
                { value: "AMOUNT", label: "Override the amount" },
              ]}
              rule={form.register("rule")}
              amount={form.register("amount")}
              showAmount={rule === "AMOUNT"}
              currency={currency}
              hint={`From 0 to ${money(p.maxRefund, currency)}`}
              error={errors.amount?.message}
            />
          </>
        ) : (
          <p>This booking is not paid: cancelling releases its places and refunds nothing.</p>
        )}
        <AuditNoteField {...fieldOf(form, "note")} />
        <p className="text-slate-700">The traveller is emailed; the places go back on sale.</p>
      </form>
    </ConfirmDialog>
  );
}
