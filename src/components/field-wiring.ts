import { useId } from "react";

/**
 * The id and accessibility wiring of a labelled control (traveller and admin forms alike): `aria-describedby`
 * names its hint and its error, so a screen reader reads the rule and the problem with the field, and
 * `aria-invalid` marks it. The hint and error elements use `<id>-hint` and `<id>-error`.
 */
export function useControlWiring(id: string | undefined, hint: unknown, error: unknown, className: string) {
  const auto = useId();
  const fid = id ?? auto;
  const describedBy = [hint ? `${fid}-hint` : "", error ? `${fid}-error` : ""].filter(Boolean).join(" ");
  return {
    fid,
    wiring: {
      id: fid,
      "aria-invalid": error ? true : undefined,
      "aria-describedby": describedBy || undefined,
      className,
    },
  };
}
