import type { FormEventHandler, ReactNode } from "react";

/** An admin form in a bordered card, named for assistive technology by its own heading. */
export function FormCard({
  id,
  title,
  onSubmit,
  className = "grid content-start gap-3",
  children,
}: {
  id: string;
  title: ReactNode;
  onSubmit: FormEventHandler<HTMLFormElement>;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form
      noValidate
      onSubmit={onSubmit}
      className={`${className} rounded-md border border-slate-200 p-3`}
      aria-labelledby={id}
    >
      <h3 id={id} className="font-bold text-sea-900">
        {title}
      </h3>
      {children}
    </form>
  );
}
