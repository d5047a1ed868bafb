"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { errorMessage, readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { MoneyField } from "../fields";
import { money, parseMajor, toMajorString } from "../format";
import { priceRule } from "../money-input";
import type { AdminInputs } from "../types";
import { btnLink, btnPrimary, btnSecondary } from "../ui";
import type { FareItem } from "./fare-items";

/**
 * One price, edited in place: shows the amount and an Edit button; editing swaps in an input (amount in the
 * currency's major unit, e.g. euros with at most 2 decimals) that saves on Enter and gives up on Escape.
 */
export function FareCell({
  label,
  amount,
  currency,
  routeId,
  sailingId,
  item,
}: {
  /** What this price is, e.g. "Deck passage, Adult"; names the button and the input. */
  label: string;
  amount: number | null;
  currency: string;
  routeId: number;
  sailingId?: number;
  item: FareItem;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const editRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const schema = z.object({ amount: priceRule(currency) });
  const form = useForm<{ amount: string }>({
    resolver: zodResolver(schema),
    defaultValues: { amount: amount === null ? "" : toMajorString(amount, currency) },
  });
  const setFare = useMutation(trpc.admin.pricing.setFare.mutationOptions());

  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      editRef.current?.focus();
    }
  }, [editing]);

  const close = () => {
    returnFocus.current = true;
    setEditing(false);
    form.clearErrors();
  };

  const submit = form.handleSubmit((v) => {
    const minor = parseMajor(v.amount, currency)!;
    if (minor === amount) {
      close();
      return;
    }
    const input = {
      routeId,
      sailingId,
      amount: minor,
      currency,
      ...item,
    } as AdminInputs["pricing"]["setFare"];
    setFare.mutate(input, {
      onSuccess: (f) => {
        toast.success(
          `Price saved: ${label} ${sailingId ? `on sailing ${sailingId} ` : ""}now ${money(f.amount, f.currency)}${amount !== null ? ` (was ${money(amount, currency)})` : ""}.`,
        );
        void qc.invalidateQueries(trpc.admin.pricing.pathFilter());
        close();
      },
      onError: (e) => {
        const p = readAppError(e);
        form.setError("amount", { type: "server", message: p.fieldErrors.amount ?? p.message });
        toast.error(`Price not saved: ${errorMessage(e)}`);
      },
    });
  });

  if (!editing) {
    return (
      <div className="flex items-center justify-between gap-2">
        <span className={amount === null ? "text-slate-500" : "font-semibold tabular-nums"}>
          {amount === null ? "not set" : money(amount, currency)}
        </span>
        <button
          ref={editRef}
          type="button"
          className={btnLink}
          aria-label={`Edit price: ${label}`}
          onClick={() => {
            form.reset({ amount: amount === null ? "" : toMajorString(amount, currency) });
            setEditing(true);
          }}
        >
          Edit
        </button>
      </div>
    );
  }
  return (
    <form
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          close();
        }
      }}
      className="grid gap-1"
    >
      <MoneyField
        label={`New price: ${label}`}
        currency={currency}
        hideLabel
        autoFocus
        error={form.formState.errors.amount?.message}
        className="min-w-28"
        {...form.register("amount")}
      />
      <div className="flex gap-1">
        <button type="submit" className={btnPrimary} disabled={setFare.isPending}>
          {setFare.isPending ? "Saving…" : "Save"}
        </button>
        <button type="button" className={btnSecondary} onClick={close} disabled={setFare.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
