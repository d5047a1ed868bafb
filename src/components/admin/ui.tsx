"use client";

import type {
  InputHTMLAttributes,
  ReactNode,
  Ref,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from "react";
import { useId } from "react";
import { useControlWiring } from "@/components/field-wiring";

/** Small building blocks shared by the admin pages: labelled fields, buttons, notices, status badges. */

const btn =
  "inline-flex items-center justify-center gap-1 rounded-md px-3 py-1.5 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-60";
export const btnPrimary = `${btn} bg-sea-700 text-white hover:bg-sea-900`;
export const btnSecondary = `${btn} border border-slate-400 bg-white text-slate-900 hover:bg-slate-50`;
export const btnDanger = `${btn} bg-coral-700 text-white hover:bg-coral-600`;
export const btnDangerOutline = `${btn} border border-coral-600 bg-white text-coral-700 hover:bg-coral-50`;
export const btnLink = "text-sm font-semibold text-sea-700 underline underline-offset-2 hover:text-sea-900";

const control =
  "w-full rounded-md border border-slate-500 bg-white px-2.5 py-1.5 text-sm text-slate-900 aria-[invalid=true]:border-coral-600 aria-[invalid=true]:bg-coral-50";

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string;
  className?: string;
  /** Visually hide the label (it stays for screen readers), for inline table editors. */
  hideLabel?: boolean;
}

function Frame({
  id,
  label,
  hint,
  error,
  className,
  hideLabel,
  children,
}: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={`grid content-start gap-1 ${className ?? ""}`}>
      <label htmlFor={id} className={hideLabel ? "sr-only" : "text-sm font-semibold text-slate-800"}>
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-xs font-medium text-coral-700">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Splits a control's props into its frame's (label, hint, error, layout) and the control's own. */
function useField<P extends FieldProps & { id?: string }>(props: P) {
  const { label, hint, error, className, hideLabel, id, ...rest } = props;
  const { fid, wiring } = useControlWiring(id, hint, error, control);
  return { frame: { id: fid, label, hint, error, className, hideLabel }, wiring, rest };
}

export function Input({
  ref,
  ...props
}: FieldProps & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const { frame, wiring, rest } = useField(props);
  return (
    <Frame {...frame}>
      <input ref={ref} {...wiring} {...rest} />
    </Frame>
  );
}

export function Select({
  ref,
  children,
  ...props
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  const { frame, wiring, rest } = useField(props);
  return (
    <Frame {...frame}>
      <select ref={ref} {...wiring} {...rest}>
        {children}
      </select>
    </Frame>
  );
}

export function Textarea({
  ref,
  ...props
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  const { frame, wiring, rest } = useField(props);
  return (
    <Frame {...frame}>
      <textarea ref={ref} rows={2} {...wiring} {...rest} />
    </Frame>
  );
}

export function Alert({
  tone = "error",
  title,
  children,
}: {
  tone?: "error" | "info" | "success";
  title?: string;
  children: ReactNode;
}) {
  const cls =
    tone === "error"
      ? "border-coral-600 bg-coral-50 text-coral-700"
      : tone === "success"
        ? "border-emerald-600 bg-emerald-50 text-emerald-900"
        : "border-sea-600 bg-sea-50 text-sea-900";
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={`rounded-md border-l-4 px-3 py-2 text-sm ${cls}`}
    >
      {title ? <p className="font-semibold">{title}</p> : null}
      <div>{children}</div>
    </div>
  );
}

const badgeTones: Record<string, string> = {
  SCHEDULED: "bg-sea-100 text-sea-900",
  CONFIRMED: "bg-emerald-100 text-emerald-900",
  COMPLETED: "bg-emerald-100 text-emerald-900",
  SENT: "bg-emerald-100 text-emerald-900",
  SUCCEEDED: "bg-emerald-100 text-emerald-900",
  PENDING_PAYMENT: "bg-amber-100 text-amber-900",
  CONFIRMING: "bg-amber-100 text-amber-900",
  PENDING: "bg-amber-100 text-amber-900",
  QUEUED: "bg-amber-100 text-amber-900",
  RETRYING: "bg-amber-100 text-amber-900",
  PARTIALLY_REFUNDED: "bg-violet-100 text-violet-900",
  REFUNDED: "bg-violet-100 text-violet-900",
  CANCELLED: "bg-coral-50 text-coral-700",
  FAILED: "bg-coral-50 text-coral-700",
  EXPIRED: "bg-slate-200 text-slate-800",
  AMOUNT_MISMATCH: "bg-coral-600 text-white",
  CURRENCY_MISMATCH: "bg-coral-600 text-white",
};

export function Badge({ value }: { value: string }) {
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${badgeTones[value] ?? "bg-slate-100 text-slate-800"}`}
    >
      {value.replaceAll("_", " ").toLowerCase()}
    </span>
  );
}

export function Section({
  title,
  id,
  actions,
  children,
  description,
}: {
  title: string;
  id?: string;
  actions?: ReactNode;
  description?: ReactNode;
  children: ReactNode;
}) {
  const auto = useId();
  const hid = id ?? auto;
  return (
    <section
      aria-labelledby={hid}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={hid} className="text-lg font-bold text-sea-900">
          {title}
        </h2>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
      {description ? <div className="text-sm text-slate-700">{description}</div> : null}
      {children}
    </section>
  );
}

export function PageTitle({ children, sub }: { children: ReactNode; sub?: ReactNode }) {
  return (
    <div className="grid gap-1">
      <h1 className="text-2xl font-bold text-sea-900">{children}</h1>
      {sub ? <p className="text-sm text-slate-700">{sub}</p> : null}
    </div>
  );
}

export function Loading({ what = "Loading…" }: { what?: string }) {
  return (
    <p role="status" className="text-sm text-slate-600">
      {what}
    </p>
  );
}

/** A definition list of label/value pairs. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {items.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-semibold text-slate-700">{k}</dt>
          <dd className="text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
