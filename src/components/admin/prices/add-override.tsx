"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { addDays, todayAt } from "@/shared/dates";
import { readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { MoneyField } from "../fields";
import { dateTime, money, parseMajor } from "../format";
import { priceRule } from "../money-input";
import type { AdminInputs, RouteRow } from "../types";
import { Alert, btnPrimary, Input, Select } from "../ui";
import { ITEM_KEYS } from "./fare-items";
import { FormCard } from "../form-card";
import { fieldOf } from "@/components/admin/form-field";

/** Sets a price for one sailing of the coming week (or the sailing the page was opened for). */
export function AddOverride({
  route,
  currency,
  initialSailingId,
}: {
  route: RouteRow;
  currency: string;
  initialSailingId?: number;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const zone = route.from.timeZone;
  const [date, setDate] = useState(() => todayAt(zone));
  const sailings = useQuery(
    trpc.admin.schedule.list.queryOptions({
      routeId: route.id,
      fromDate: date,
      toDate: addDays(date, 6),
      status: "SCHEDULED",
    }),
  );
  const schema = z.object({
    sailingId: z.string().min(1, "Choose a sailing."),
    item: z.string().min(1, "Choose what to price."),
    amount: priceRule(currency),
  });
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      sailingId: initialSailingId ? String(initialSailingId) : "",
      item: "P:DECK:adult",
      amount: "",
    },
  });
  const setFare = useMutation(trpc.admin.pricing.setFare.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  const submit = form.handleSubmit((v) => {
    setError(null);
    const item = ITEM_KEYS.find((k) => k.key === v.item)!;
    const input = {
      routeId: route.id,
      sailingId: Number(v.sailingId),
      amount: parseMajor(v.amount, currency)!,
      currency,
      ...item.item,
    } as AdminInputs["pricing"]["setFare"];
    setFare.mutate(input, {
      onSuccess: (f) => {
        toast.success(
          `Override saved: ${item.label} on sailing ${v.sailingId} is ${money(f.amount, f.currency)}.`,
        );
        form.reset({ sailingId: v.sailingId, item: v.item, amount: "" });
        void qc.invalidateQueries(trpc.admin.pricing.pathFilter());
      },
      onError: (e) => {
        const p = readAppError(e);
        if (p.fieldErrors.amount) form.setError("amount", { message: p.fieldErrors.amount });
        else setError(p.message);
        toast.error(`Override not saved: ${p.message}`);
      },
    });
  });

  const options = sailings.data ?? [];
  const preselected = initialSailingId && !options.some((s) => s.id === initialSailingId);

  return (
    <FormCard id="add-override" title="Add or change an override" onSubmit={submit} className="grid gap-3">
      <div className="flex flex-wrap items-start gap-3">
        <Input
          label="Sailings from"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          hint="Lists the week from this date"
        />
        <Select label="Sailing" className="min-w-72" {...fieldOf(form, "sailingId")}>
          <option value="">
            {sailings.isPending ? "Loading…" : options.length ? "Choose…" : "No sailings that week"}
          </option>
          {preselected ? <option value={initialSailingId}>Sailing #{initialSailingId}</option> : null}
          {options.map((s) => (
            <option key={s.id} value={s.id}>
              {dateTime(s.departureAt, s.from.timeZone)} · {s.vessel.name}
            </option>
          ))}
        </Select>
        <Select label="Item" {...fieldOf(form, "item")}>
          {ITEM_KEYS.map((k) => (
            <option key={k.key} value={k.key}>
              {k.label}
            </option>
          ))}
        </Select>
        <MoneyField
          label="Price"
          currency={currency}
          placeholder="0.00"
          className="w-32"
          {...fieldOf(form, "amount")}
        />
        <div className="pt-6">
          <button type="submit" className={btnPrimary} disabled={setFare.isPending}>
            {setFare.isPending ? "Saving…" : "Save override"}
          </button>
        </div>
      </div>
      {error ? <Alert>{error}</Alert> : null}
    </FormCard>
  );
}
