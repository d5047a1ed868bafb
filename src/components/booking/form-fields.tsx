"use client";

import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes } from "react";
import { useControlWiring } from "@/components/field-wiring";

/**
 * Labelled inputs with their hint and error wired through aria-describedby, so a screen reader reads the rule
 * and the problem with the field; aria-invalid marks it. Errors are text, not colour alone.
 */
interface Common {
  label: string;
  hint?: ReactNode;
  error?: string;
  /** Shown after the label, e.g. "optional". */
  note?: string;
}

const inputClass =
  "w-full rounded-lg border bg-white px-3 py-2 text-base text-slate-900 aria-[invalid=true]:border-coral-600 aria-[invalid=true]:bg-coral-50 border-slate-500";

function Frame({ id, label, hint, error, note, children }: Common & { id: string; children: ReactNode }) {
  return (
    <div className="grid content-start gap-1">
      <label htmlFor={id} className="font-semibold text-slate-900">
        {label}
        {note ? <span className="ms-1 text-sm font-normal text-slate-600">({note})</span> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p id={`${id}-error`} className="flex gap-1 text-sm font-medium text-coral-700">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      ) : null}
    </div>
  );
}

/** Splits a control's props into its frame's (label, hint, error, note) and the control's own. */
function useField<P extends Common & { id?: string }>(props: P) {
  const { label, hint, error, note, id, ...rest } = props;
  const { fid, wiring } = useControlWiring(id, hint, error, inputClass);
  return { frame: { id: fid, label, hint, error, note }, wiring, rest };
}

export function TextField({
  ref,
  ...props
}: Common & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const { frame, wiring, rest } = useField(props);
  return (
    <Frame {...frame}>
      <input ref={ref} {...wiring} {...rest} />
    </Frame>
  );
}

type TextFieldProps = Parameters<typeof TextField>[0];

/** A code typed as printed (a reference, a document number, a registration): left to right, no corrections. */
export function CodeField(props: TextFieldProps) {
  return <TextField autoComplete="off" spellCheck={false} dir="ltr" {...props} />;
}

/** An email address: the browser may fill it in; always left to right. */
export function EmailField(props: TextFieldProps) {
  return <TextField type="email" autoComplete="email" dir="ltr" {...props} />;
}

export function SelectField({
  ref,
  children,
  ...props
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  const { frame, wiring, rest } = useField(props);
  return (
    <Frame {...frame}>
      <select ref={ref} {...wiring} {...rest}>
        {children}
      </select>
    </Frame>
  );
}

export function Alert({
  tone = "error",
  title,
  children,
  id,
}: {
  tone?: "error" | "info" | "success";
  title?: string;
  children?: ReactNode;
  id?: string;
}) {
  const colours = {
    error: "border-coral-600 bg-coral-50",
    info: "border-sea-600 bg-sea-50",
    success: "border-emerald-700 bg-emerald-50",
  }[tone];
  return (
    <div id={id} className={`rounded-xl border-s-4 p-4 ${colours}`}>
      {title ? <p className="font-bold text-slate-900">{title}</p> : null}
      {children ? <div className="mt-1 text-slate-800">{children}</div> : null}
    </div>
  );
}

export const buttonPrimary =
  "inline-flex items-center justify-center rounded-full bg-coral-600 px-6 py-3 font-semibold text-white hover:bg-coral-700 disabled:cursor-not-allowed disabled:opacity-60";
export const buttonSecondary =
  "inline-flex items-center justify-center rounded-full border-2 border-sea-700 bg-white px-5 py-2.5 font-semibold text-sea-700 hover:bg-sea-50 disabled:cursor-not-allowed disabled:opacity-60";
export const linkClass = "font-semibold text-sea-700 underline underline-offset-2 hover:text-sea-900";
