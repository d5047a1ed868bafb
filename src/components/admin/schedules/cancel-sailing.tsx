"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "../confirm-dialog";
import { money } from "../format";
import type { AdminOutputs, RouteRow, SailingRow } from "../types";
import { Alert, btnDangerOutline, Textarea } from "../ui";

export type CancelResult = AdminOutputs["schedule"]["cancelSailing"];

/** Cancels the sailing and every booking on it (full refunds, emails), after showing how many. */
export function CancelSailing({
  sailing,
  route,
  title,
  onResult,
}: {
  sailing: SailingRow;
  route: RouteRow;
  title: string;
  onResult: (r: { result: CancelResult; currency: string }) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState("");
  const confirmed = useQuery({
    ...trpc.admin.bookings.search.queryOptions({ sailingId: sailing.id, status: "CONFIRMED", pageSize: 1 }),
    enabled: open,
    staleTime: 0,
  });
  const pending = useQuery({
    ...trpc.admin.bookings.search.queryOptions({
      sailingId: sailing.id,
      status: "PENDING_PAYMENT",
      pageSize: 1,
    }),
    enabled: open,
    staleTime: 0,
  });
  const fares = useQuery(trpc.admin.pricing.routeFares.queryOptions({ routeId: route.id }));
  const currency = fares.data?.currency ?? "EUR";
  const cancel = useMutation(trpc.admin.schedule.cancelSailing.mutationOptions());
  const nConfirmed = confirmed.data?.total;
  const nPending = pending.data?.total;
  const counted = nConfirmed !== undefined && nPending !== undefined;

  return (
    <div className="grid gap-2 rounded-md border border-coral-600 bg-coral-50 p-3">
      <h3 className="font-bold text-coral-700">Cancel this sailing</h3>
      <p className="text-sm">
        Cancels every booking on it with a full refund and emails the travellers. This cannot be undone.
      </p>
      <div>
        <button
          type="button"
          className={btnDangerOutline}
          onClick={() => {
            cancel.reset();
            setOpen(true);
          }}
        >
          Cancel sailing…
        </button>
      </div>
      <ConfirmDialog
        open={open}
        title={`Cancel the sailing ${title}?`}
        confirmLabel={
          counted && nConfirmed + nPending > 0
            ? `Cancel sailing and ${nConfirmed + nPending} booking${nConfirmed + nPending === 1 ? "" : "s"}`
            : "Cancel sailing"
        }
        cancelLabel="Keep the sailing"
        pendingLabel="Cancelling…"
        pending={cancel.isPending}
        confirmDisabled={!counted}
        error={cancel.isError ? errorMessage(cancel.error) : null}
        onClose={() => setOpen(false)}
        onConfirm={() =>
          cancel.mutate(
            { sailingId: sailing.id, message: message.trim() || undefined },
            {
              onSuccess: (r) => {
                onResult({ result: r, currency });
                setOpen(false);
                setMessage("");
                toast.success(
                  `Sailing cancelled: ${r.bookingsCancelled} booking${r.bookingsCancelled === 1 ? "" : "s"} cancelled, ${money(r.refundsRequested.amount, currency)} to refund.`,
                );
                void qc.invalidateQueries(trpc.admin.schedule.pathFilter());
                void qc.invalidateQueries(trpc.admin.bookings.pathFilter());
              },
              onError: (e) => toast.error(`Sailing not cancelled: ${errorMessage(e)}`),
            },
          )
        }
      >
        {!counted ? (
          <p>Counting the bookings on this sailing…</p>
        ) : nConfirmed + nPending === 0 ? (
          <p className="text-base">No booking is on this sailing: nothing to cancel or refund.</p>
        ) : (
          <p className="text-base">
            <strong>
              {nConfirmed + nPending} booking{nConfirmed + nPending === 1 ? "" : "s"} will be cancelled
            </strong>
            : {nConfirmed} paid booking{nConfirmed === 1 ? "" : "s"} refunded in full, {nPending} awaiting
            payment released. Travellers with confirmed bookings are emailed.
          </p>
        )}
        <Textarea
          label="Message to travellers (optional)"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          maxLength={1000}
        />
      </ConfirmDialog>
    </div>
  );
}

/** What cancelling the sailing did, including the bookings that failed and need another run. */
export function CancelOutcome({ result, currency }: { result: CancelResult; currency: string }) {
  return (
    <Alert tone={result.failed.length ? "error" : "success"} title="Sailing cancelled">
      <p>
        {result.alreadyCancelled
          ? "It was already cancelled; this run finished the remaining bookings. "
          : ""}
        {result.bookingsCancelled} booking{result.bookingsCancelled === 1 ? "" : "s"} cancelled;{" "}
        {result.refundsRequested.count} refund{result.refundsRequested.count === 1 ? "" : "s"} requested for{" "}
        {money(result.refundsRequested.amount, currency)}; {result.noticesQueued} notice
        {result.noticesQueued === 1 ? "" : "s"} queued.
      </p>
      {result.failed.length ? (
        <>
          <p>These bookings could not be cancelled; cancel the sailing again to retry them:</p>
          <ul className="list-disc ps-5">
            {result.failed.map((f) => (
              <li key={f.bookingId}>
                {f.bookingId}: {f.error}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Alert>
  );
}
