"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { RESOURCE_NAMES } from "../format";
import type { SailingRow } from "../types";
import { Alert, btnPrimary, Input } from "../ui";
import { TableHead } from "../table-head";
import { FormCard } from "../form-card";

type Refused = { resource: string; requested: number; held: number; sold: number };

/** Capacity per resource, never below what bookings already hold plus what is sold. */
export function CapacityForm({
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
          const refused = (p.reason === "BELOW_TAKEN" ? (p.details.refused as Refused[]) : []) ?? [];
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
    <FormCard id="cap-title" title="Capacities" onSubmit={submit}>
      <p className="text-xs text-slate-600">
        A capacity can never go below what bookings already hold (awaiting payment) plus what is sold.
      </p>
      <fieldset disabled={disabled}>
        <legend className="sr-only">Capacity per resource</legend>
        <table className="w-full text-sm">
          <TableHead
            className="text-left"
            cellClassName="py-1"
            cells={["Resource", ["Held", "text-right"], ["Sold", "text-right"], ["Capacity", "ps-3"]]}
          />
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
    </FormCard>
  );
}
