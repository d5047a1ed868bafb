"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import { Alert, btnDanger, btnPrimary, btnSecondary } from "./ui";

/**
 * A modal confirmation on the native <dialog>: it traps focus, makes the page behind it inert and closes on
 * Escape; focus returns to the button that opened it. The safe action ("Keep …") gets the first focus, so a
 * stray Enter never destroys anything.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = "Cancel",
  onConfirm,
  onClose,
  pending = false,
  pendingLabel = "Working…",
  error,
  tone = "danger",
  confirmDisabled = false,
  formId,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Called by the confirm button unless `formId` is set (then the button submits that form). */
  onConfirm?: () => void;
  onClose: () => void;
  pending?: boolean;
  pendingLabel?: string;
  error?: string | null;
  tone?: "danger" | "primary";
  confirmDisabled?: boolean;
  formId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const safeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // showModal focuses the first focusable element (a radio, an input); the safe button must win.
      safeRef.current?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onClose={onClose}
      onCancel={(e) => {
        // Escape while the action runs would hide its outcome; let it finish first.
        if (pending) e.preventDefault();
      }}
      className="m-auto w-[min(34rem,calc(100vw-2rem))] rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/60"
    >
      {open ? (
        <div className="grid gap-4 p-5">
          <h2 id={titleId} className="text-lg font-bold text-sea-900">
            {title}
          </h2>
          <div id={bodyId} className="grid gap-3 text-sm" aria-live="polite">
            {children}
            {error ? <Alert title="That did not work">{error}</Alert> : null}
          </div>
          <div className="flex flex-wrap justify-end gap-2">
            <button ref={safeRef} type="button" className={btnSecondary} onClick={onClose} disabled={pending}>
              {cancelLabel}
            </button>
            <button
              type={formId ? "submit" : "button"}
              form={formId}
              className={tone === "danger" ? btnDanger : btnPrimary}
              disabled={pending || confirmDisabled}
              onClick={formId ? undefined : onConfirm}
            >
              {pending ? pendingLabel : confirmLabel}
            </button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
