import { useTranslations } from "next-intl";
import { useMemo } from "react";

/**
 * Port names come from the `ports` messages keyed by code, so "Genoa" reads "Gênes" and "جنوة". A port added
 * by an admin before its translations exist falls back to its code rather than breaking the page.
 */
export interface PortNames {
  name: (code: string) => string;
  city: (code: string) => string;
}

export type Translator = ((key: string) => string) & { has: (key: string) => boolean };

export function fromTranslator(t: Translator, fallback?: Map<string, string>): PortNames {
  const pick = (code: string, part: "name" | "city") =>
    t.has(`${code}.${part}`) ? t(`${code}.${part}`) : (fallback?.get(code) ?? code);
  return { name: (code) => pick(code, "name"), city: (code) => pick(code, "city") };
}

export function usePortNames(): PortNames {
  const t = useTranslations("ports");
  return useMemo(() => fromTranslator(t as unknown as Translator), [t]);
}
