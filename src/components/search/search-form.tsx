"use client";

import { DateFields, ExtrasFields, PartyFields, PortFields, TripType } from "./search-form-fields";
import type { FieldErrors, PortOption, SearchFormValues } from "./search-query";
import { useSearchForm } from "./use-search-form";

/** Where, when and who: the search on the home page and, prefilled, above the results. */
export function SearchForm({
  ports,
  defaultValues,
  initialErrors,
  submitLabel,
}: {
  ports: PortOption[];
  defaultValues?: Partial<SearchFormValues>;
  /** Errors found on the server for the URL being shown, displayed until the traveller edits that field. */
  initialErrors?: FieldErrors;
  submitLabel?: string;
}) {
  const s = useSearchForm({ ports, defaultValues, initialErrors });
  return (
    <form onSubmit={s.onSubmit} noValidate className="grid gap-5">
      {s.submitFailed && Object.keys(s.errors).length > 0 ? (
        <p
          role="alert"
          className="rounded-lg border border-coral-600 bg-white p-3 font-medium text-coral-600"
        >
          {s.t("errors.summary")}
        </p>
      ) : null}
      <TripType s={s} />
      <PortFields s={s} ports={ports} />
      <DateFields s={s} />
      <PartyFields s={s} />
      <ExtrasFields s={s} />
      <div>
        <button
          type="submit"
          className="w-full rounded-full bg-coral-600 px-8 py-3 text-lg font-semibold text-white shadow hover:bg-coral-700 sm:w-auto"
        >
          {submitLabel ?? s.t("submit")}
        </button>
      </div>
    </form>
  );
}
