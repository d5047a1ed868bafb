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
import { applyFieldErrors, errorMessage, readAppError } from "@/trpc/errors";
import { dateTime, money, RESOURCE_NAMES } from "./format";
import { vesselOptions } from "./sailing-forms";
import type { AdminOutputs, RouteRow, SailingRow, VesselRow } from "./types";
import {
  Alert,
  Badge,
  btnDangerOutline,
  btnLink,
  btnPrimary,
  btnSecondary,
  Facts,
  Input,
  Select,
  Textarea,
} from "./ui";

/** One sailing: move it or change its vessel, set capacities, or cancel it (with every booking on it). */
export function SailingEditor({
  sailing,
  route,
  vessels,
  onClose,
  onChanged,
}: {
  sailing: SailingRow;
  route: RouteRow;
  vessels: VesselRow[];
  onClose: () => void;
  onChanged: (s: SailingRow) => void;
}) {
  const [cancelResult, setCancelResult] = useState<{ result: CancelResult; currency: string } | null>(null);
  const cancelled = sailing.status === "CANCELLED";
  const past = sailing.departureAt.getTime() <= Date.now();
  const title = `${sailing.from.code} → ${sailing.to.code}, ${dateTime(sailing.departureAt, sailing.from.timeZone)}`;
  return (
    <section
      aria-labelledby="sailing-editor-title"
      className="grid gap-4 rounded-lg border-2 border-sea-600 bg-white p-4 shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id="sailing-editor-title" tabIndex={-1} className="text-lg font-bold text-sea-900">
            Sailing {sailing.id}: {title}
          </h2>
          <Facts
            items={[
              ["Status", <Badge key="s" value={sailing.status} />],
              ["Arrival", dateTime(sailing.arrivalAt, sailing.to.timeZone)],
              ["Vessel", sailing.vessel.name],
              [
                "Active bookings",
                <Link key="b" className={btnLink} href={`/admin/bookings?sailing=${sailing.id}`}>
                  {sailing.activeBookings} — see bookings
                </Link>,
              ],
              [
                "Prices",
                <Link
                  key="p"
                  className={btnLink}
                  href={`/admin/prices?route=${route.id}&sailing=${sailing.id}`}
                >
                  Overrides for this sailing
                </Link>,
              ],
            ]}
          />
        </div>
        <button type="button" className={btnSecondary} onClick={onClose}>
          Close
        </button>
      </div>
      {cancelled ? <Alert tone="info">This sailing is cancelled; it can no longer be changed.</Alert> : null}
      {!cancelled && past ? (
        <Alert tone="info">This sailing has left; it can no longer be changed.</Alert>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <UpdateForm
          sailing={sailing}
          route={route}
          vessels={vessels}
          disabled={cancelled || past}
          onChanged={onChanged}
        />
        <CapacityForm sailing={sailing} disabled={cancelled} onChanged={onChanged} />
      </div>
      {!cancelled && !past ? (
        <CancelSailing sailing={sailing} route={route} title={title} onResult={setCancelResult} />
      ) : null}
      {cancelResult ? <CancelOutcome result={cancelResult.result} currency={cancelResult.currency} /> : null}
    </section>
  );
}

const timeRe = /^([01]\d|2[0-3]):[0-5]\d$/;
const updateSchema = z.object({
  departureDate: z.string().min(1, "Choose a date."),
  departureTime: z.string().regex(timeRe, "Use a 24-hour time written like 21:30."),
  durationMinutes: z
    .string()
    .trim()
    .refine(
      (v) => /^\d+$/.test(v) && Number(v) >= 15 && Number(v) <= 4320,
      "Give whole minutes between 15 and 4320.",
    ),
  vesselId: z.string().min(1, "Choose a vessel."),
  notify: z.boolean(),
  message: z.string().max(1000, "Keep the message under 1000 characters."),
});
type UpdateValues = z.infer<typeof updateSchema>;

function UpdateForm({
  sailing,
  route,
  vessels,
  disabled,
  onChanged,
}: {
  sailing: SailingRow;
  route: RouteRow;
  vessels: VesselRow[];
  disabled: boolean;
  onChanged: (s: SailingRow) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const duration = Math.round((sailing.arrivalAt.getTime() - sailing.departureAt.getTime()) / 60_000);
  const initial: UpdateValues = {
    departureDate: sailing.departureLocal.date,
    departureTime: sailing.departureLocal.time,
    durationMinutes: String(duration),
    vesselId: String(sailing.vessel.id),
    notify: true,
    message: "",
  };
  const form = useForm<UpdateValues>({ resolver: zodResolver(updateSchema), defaultValues: initial });
  const update = useMutation(trpc.admin.schedule.update.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const { errors } = form.formState;

  const submit = form.handleSubmit((v) => {
    setError(null);
    const moved = v.departureDate !== initial.departureDate || v.departureTime !== initial.departureTime;
    const durationChanged = Number(v.durationMinutes) !== duration;
    const vesselChanged = Number(v.vesselId) !== sailing.vessel.id;
    if (!moved && !durationChanged && !vesselChanged) {
      setError("Nothing to change: give new times or another vessel.");
      return;
    }
    const input = {
      sailingId: sailing.id,
      ...(moved ? { departureDate: v.departureDate, departureTime: v.departureTime } : {}),
      ...(durationChanged ? { durationMinutes: Number(v.durationMinutes) } : {}),
      ...(vesselChanged ? { vesselId: Number(v.vesselId) } : {}),
      notify: v.notify,
      message: v.message.trim() || undefined,
    };
    update.mutate(input, {
      onSuccess: (r) => {
        toast.success(
          `Sailing ${sailing.id} updated${r.notified ? `; ${r.notified} booking${r.notified === 1 ? "" : "s"} notified by email` : ""}.`,
        );
        void qc.invalidateQueries(trpc.admin.schedule.pathFilter());
        form.reset({
          departureDate: r.sailing.departureLocal.date,
          departureTime: r.sailing.departureLocal.time,
          durationMinutes: String(
            Math.round((r.sailing.arrivalAt.getTime() - r.sailing.departureAt.getTime()) / 60_000),
          ),
          vesselId: String(r.sailing.vessel.id),
          notify: true,
          message: "",
        });
        onChanged(r.sailing);
      },
      onError: (e) => {
        const p = readAppError(e);
        if (p.details?.reason === "SAILING_EXISTS") form.setError("departureTime", { message: p.message });
        else if (
          !applyFieldErrors(e, form.setError, [
            "departureDate",
            "departureTime",
            "durationMinutes",
            "vesselId",
            "message",
          ])
        )
          setError(p.message);
        toast.error(`Sailing not updated: ${p.message}`);
      },
    });
  });

  return (
    <form
      noValidate
      onSubmit={submit}
      className="grid content-start gap-3 rounded-md border border-slate-200 p-3"
      aria-labelledby="update-title"
    >
      <h3 id="update-title" className="font-bold text-sea-900">
        Change times or vessel
      </h3>
      <fieldset disabled={disabled} className="grid gap-3 sm:grid-cols-2">
        <Input
          label="Departure date"
          type="date"
          error={errors.departureDate?.message}
          {...form.register("departureDate")}
        />
        <Input
          label="Departure time"
          type="time"
          hint={`Local time in ${route.from.name}`}
          error={errors.departureTime?.message}
          {...form.register("departureTime")}
        />
        <Input
          label="Crossing time (minutes)"
          inputMode="numeric"
          error={errors.durationMinutes?.message}
          {...form.register("durationMinutes")}
        />
        <Select label="Vessel" error={errors.vesselId?.message} {...form.register("vesselId")}>
          {vesselOptions(vessels, route)}
        </Select>
        <label className="flex items-center gap-2 text-sm sm:col-span-2">
          <input type="checkbox" {...form.register("notify")} />
          Email travellers with confirmed bookings when the times change
        </label>
        <Textarea
          className="sm:col-span-2"
          label="Message to travellers (optional)"
          error={errors.message?.message}
          {...form.register("message")}
        />
        <p className="text-xs text-slate-600 sm:col-span-2">
          A new vessel keeps the current capacities; adjust them alongside if it is smaller or larger.
        </p>
        {error ? (
          <div className="sm:col-span-2">
            <Alert>{error}</Alert>
          </div>
        ) : null}
        <div className="sm:col-span-2">
          <button type="submit" className={btnPrimary} disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save changes"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

type Refused = { resource: string; requested: number; held: number; sold: number };

function CapacityForm({
  sailing,
  disabled,
  onChanged,
}: {
  sailing: SailingRow;
  disabled: boolean;
  onChanged: (s: SailingRow) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const schema = z.object({
    caps: z.array(
      z.object({
        resource: z.string(),
        capacity: z
          .string()
          .trim()
          .refine((v) => /^\d+$/.test(v), "Give a whole number (0 or more).")
          .refine((v) => Number(v) <= 100_000, "That capacity is not plausible for a ferry."),
      }),
    ),
  });
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      caps: sailing.inventory.map((i) => ({ resource: i.resource, capacity: String(i.capacity) })),
    },
  });
  const set = useMutation(trpc.admin.schedule.setCapacity.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const { errors } = form.formState;

  const submit = form.handleSubmit((v) => {
    setError(null);
    const changed = v.caps
      .map((c, i) => ({
        resource: c.resource,
        capacity: Number(c.capacity),
        before: sailing.inventory[i]?.capacity,
      }))
      .filter((c) => c.capacity !== c.before);
    if (changed.length === 0) {
      setError("No capacity changed.");
      return;
    }
    // Checked here for a quick answer; the server checks again atomically (bookings may land meanwhile).
    let blocked = false;
    for (const c of changed) {
      const i = sailing.inventory.findIndex((x) => x.resource === c.resource);
      const inv = sailing.inventory[i];
      if (inv && c.capacity < inv.held + inv.sold) {
        form.setError(`caps.${i}.capacity`, {
          message: `Cannot go below ${inv.held + inv.sold}: ${inv.held} held + ${inv.sold} sold.`,
        });
        blocked = true;
      }
    }
    if (blocked) return;
    set.mutate(
      {
        sailingId: sailing.id,
        capacities: changed.map((c) => ({
          resource: c.resource as SailingRow["inventory"][number]["resource"],
          capacity: c.capacity,
        })),
      },
      {
        onSuccess: (s) => {
          toast.success(`Capacities saved for sailing ${sailing.id}.`);
          void qc.invalidateQueries(trpc.admin.schedule.pathFilter());
          form.reset({
            caps: s.inventory.map((i) => ({ resource: i.resource, capacity: String(i.capacity) })),
          });
          onChanged(s);
        },
        onError: (e) => {
          const p = readAppError(e);
          const refused = (p.details?.reason === "BELOW_TAKEN" ? (p.details.refused as Refused[]) : []) ?? [];
          for (const r of refused) {
            const i = sailing.inventory.findIndex((x) => x.resource === r.resource);
            if (i >= 0)
              form.setError(`caps.${i}.capacity`, {
                message: `Refused: ${r.requested} is below ${r.held + r.sold} (${r.held} held + ${r.sold} sold).`,
              });
          }
          setError(p.message);
          toast.error("Capacities not saved.");
        },
      },
    );
  });

  return (
    <form
      noValidate
      onSubmit={submit}
      className="grid content-start gap-3 rounded-md border border-slate-200 p-3"
      aria-labelledby="cap-title"
    >
      <h3 id="cap-title" className="font-bold text-sea-900">
        Capacities
      </h3>
      <p className="text-xs text-slate-600">
        A capacity can never go below what bookings already hold (awaiting payment) plus what is sold.
      </p>
      <fieldset disabled={disabled}>
        <legend className="sr-only">Capacity per resource</legend>
        <table className="w-full text-sm">
          <thead className="text-left">
            <tr>
              <th scope="col" className="py-1">
                Resource
              </th>
              <th scope="col" className="py-1 text-right">
                Held
              </th>
              <th scope="col" className="py-1 text-right">
                Sold
              </th>
              <th scope="col" className="py-1 ps-3">
                Capacity
              </th>
            </tr>
          </thead>
          <tbody>
            {sailing.inventory.map((inv, i) => (
              <tr key={inv.resource} className="border-t border-slate-200 align-top">
                <th scope="row" className="py-1 text-left font-normal">
                  {RESOURCE_NAMES[inv.resource] ?? inv.resource}
                </th>
                <td className="py-1 text-right">{inv.held}</td>
                <td className="py-1 text-right">{inv.sold}</td>
                <td className="py-1 ps-3">
                  <Input
                    label={`Capacity: ${RESOURCE_NAMES[inv.resource] ?? inv.resource}`}
                    hideLabel
                    inputMode="numeric"
                    className="w-40"
                    error={errors.caps?.[i]?.capacity?.message}
                    {...form.register(`caps.${i}.capacity`)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {error ? <Alert>{error}</Alert> : null}
        <div className="mt-3">
          <button type="submit" className={btnPrimary} disabled={set.isPending}>
            {set.isPending ? "Saving…" : "Save capacities"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

type CancelResult = AdminOutputs["schedule"]["cancelSailing"];

function CancelSailing({
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

function CancelOutcome({ result, currency }: { result: CancelResult; currency: string }) {
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
