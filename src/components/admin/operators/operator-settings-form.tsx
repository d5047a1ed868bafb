"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { applyFieldErrors, errorMessage } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { Alert, btnPrimary, Input } from "../ui";
import type { OperatorItem, OperatorLimits } from "./operator-card";
import { fieldOf } from "@/components/admin/form-field";

const whole = (what: string) => (v: string) =>
  /^\d+$/.test(v.trim()) || `Give the ${what} as a whole number.`;

/**
 * Enabled, timeout and markup of a connected operator. Checked here against the same ranges the server
 * uses (they come with the list), then again by the server, whose field errors land next to the inputs.
 */
export function OperatorSettingsForm({
  operator: o,
  limits,
}: {
  operator: OperatorItem;
  limits: OperatorLimits;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const schema = z.object({
    enabled: z.boolean(),
    timeoutMs: z
      .string()
      .refine(whole("timeout"), { error: "Give the timeout as a whole number of milliseconds." })
      .refine((v) => Number(v) >= limits.timeoutMinMs && Number(v) <= limits.timeoutMaxMs, {
        error: `The timeout must be between ${limits.timeoutMinMs} and ${limits.timeoutMaxMs} ms.`,
      }),
    markupBps: z
      .string()
      .refine(whole("markup"), { error: "Give the markup as a whole number of basis points." })
      .refine((v) => Number(v) >= limits.markupMinBps && Number(v) <= limits.markupMaxBps, {
        error: `The markup must be between ${limits.markupMinBps} and ${limits.markupMaxBps} basis points.`,
      }),
  });
  type Values = z.infer<typeof schema>;
  const defaults = (x: OperatorItem): Values => ({
    enabled: x.enabled,
    timeoutMs: String(x.timeoutMs ?? x.effectiveTimeoutMs ?? limits.timeoutMaxMs),
    markupBps: String(x.markupBps),
  });
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: defaults(o) });
  const update = useMutation(trpc.admin.operators.update.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const { isDirty } = form.formState;
  const markup = Number(form.watch("markupBps"));
  const ids = { enabled: `op-${o.code}-enabled` };

  const submit = form.handleSubmit((v) => {
    setError(null);
    update.mutate(
      { code: o.code, enabled: v.enabled, timeoutMs: Number(v.timeoutMs), markupBps: Number(v.markupBps) },
      {
        onSuccess: (saved) => {
          toast.success(`${o.name}: settings saved.`);
          form.reset(defaults(saved));
          void qc.invalidateQueries(trpc.admin.operators.pathFilter());
        },
        onError: (e) => {
          if (!applyFieldErrors(e, form.setError, ["timeoutMs", "markupBps", "enabled"]))
            setError(errorMessage(e));
          toast.error(`${o.name}: settings not saved.`);
        },
      },
    );
  });

  return (
    <form
      noValidate
      onSubmit={submit}
      aria-label={`${o.name} settings`}
      className="grid content-start gap-3 rounded-md border border-slate-200 p-3"
    >
      <h3 className="font-bold text-sea-900">Settings</h3>
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex items-center gap-2">
        <input
          id={ids.enabled}
          type="checkbox"
          className="size-4 accent-sea-700"
          aria-describedby={`${ids.enabled}-hint`}
          {...form.register("enabled")}
        />
        <label htmlFor={ids.enabled} className="text-sm font-semibold text-slate-800">
          Enabled
        </label>
        <span id={`${ids.enabled}-hint`} className="text-xs text-slate-600">
          Off: {o.code} is neither searched nor booked.
        </span>
      </div>
      <Input
        label="Timeout (ms)"
        inputMode="numeric"
        hint={`Per call, ${limits.timeoutMinMs}–${limits.timeoutMaxMs} ms; at most OPERATOR_TIMEOUT_MS.`}
        {...fieldOf(form, "timeoutMs")}
      />
      <Input
        label="Markup (basis points)"
        inputMode="numeric"
        hint={`On the operator's fare; 100 = 1 %, at most ${limits.markupMaxBps}.${
          Number.isFinite(markup) ? ` Now ${(markup / 100).toFixed(2)} %.` : ""
        }`}
        {...fieldOf(form, "markupBps")}
      />
      <div>
        <button type="submit" className={btnPrimary} disabled={update.isPending || !isDirty}>
          {update.isPending ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}
