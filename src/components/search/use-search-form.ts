import { zodResolver } from "@hookform/resolvers/zod";
import { useLocale, useTranslations } from "next-intl";
import { useId, useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { usePortNames } from "@/components/port-names";
import { useRouter } from "@/i18n/navigation";
import { todayAt } from "@/shared/dates";
import {
  type FieldErrors,
  type PortOption,
  type SearchFormValues,
  searchQuery,
  searchSchema,
} from "./search-query";

const EMPTY: SearchFormValues = {
  from: "",
  to: "",
  trip: "one-way",
  date: "",
  returnDate: "",
  adults: 1,
  children: 0,
  infants: 0,
  vehicle: "none",
  pets: 0,
};

/**
 * The search form's state: the shared search rules (`searchSchema`) in the page's language, the ports the
 * chosen origin serves, which message each field shows (its own, or the one the page arrived with until the
 * traveller edits it) and the accessible wiring of those messages.
 */
export function useSearchForm(o: {
  ports: PortOption[];
  defaultValues?: Partial<SearchFormValues>;
  initialErrors?: FieldErrors;
}) {
  const { ports } = o;
  const t = useTranslations("search.form");
  const locale = useLocale();
  const router = useRouter();
  const names = usePortNames();
  const id = useId();
  const [submitFailed, setSubmitFailed] = useState(false);

  const schema = useMemo(
    () =>
      searchSchema({
        ports,
        msg: (key, values) => t(`errors.${key}`, values),
        portName: names.name,
        cityName: names.city,
      }),
    [ports, t, names],
  );

  const form = useForm<SearchFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { ...EMPTY, ...o.defaultValues },
    mode: "onTouched",
  });
  const { errors, dirtyFields, isSubmitted } = form.formState;

  const [from, to, trip, date, adults, children, infants, vehicle] = useWatch({
    control: form.control,
    name: ["from", "to", "trip", "date", "adults", "children", "infants", "vehicle"],
  });

  const sortedPorts = useMemo(() => {
    const collator = new Intl.Collator(locale);
    return [...ports]
      .filter((p) => p.destinations.length > 0)
      .sort((a, b) => collator.compare(names.name(a.code), names.name(b.code)));
  }, [ports, locale, names]);
  const origin = ports.find((p) => p.code === from);

  const fieldError = (name: keyof SearchFormValues): string | undefined =>
    errors[name]?.message ?? (!isSubmitted && !dirtyFields[name] ? o.initialErrors?.[name] : undefined);
  const errId = (name: string) => `${id}-${name}-error`;

  return {
    t,
    id,
    names,
    form,
    errors,
    values: { from, to, trip, date, adults, children, infants, vehicle },
    submitFailed,
    sortedPorts,
    origin,
    destinations: sortedPorts.filter((p) => origin?.destinations.includes(p.code)),
    today: todayAt(origin?.timeZone ?? "Africa/Tunis"),
    canSwap: Boolean(origin && to && ports.find((p) => p.code === to)?.destinations.includes(from)),
    fieldError,
    errId,
    /** aria-invalid and aria-describedby for a field, with any hint it is also described by. */
    a11y: (name: keyof SearchFormValues, describedBy?: string) => {
      const err = fieldError(name);
      return {
        "aria-invalid": err ? true : undefined,
        "aria-describedby": [err ? errId(name) : "", describedBy ?? ""].join(" ").trim() || undefined,
      };
    },
    setCount: (name: "adults" | "children" | "infants" | "pets", next: number) => {
      form.setValue(name, next, { shouldDirty: true, shouldTouch: true });
      // The party rules tie the counts together (infants ≤ adults, total ≤ 9): re-check them all at once.
      void form.trigger(["adults", "children", "infants", "pets"]);
    },
    onSubmit: form.handleSubmit(
      (values) => {
        setSubmitFailed(false);
        router.push({ pathname: "/search", query: searchQuery(values) });
      },
      () => setSubmitFailed(true),
    ),
  };
}

export type SearchFormState = ReturnType<typeof useSearchForm>;
