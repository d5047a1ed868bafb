import { getTranslations } from "next-intl/server";
import { fromTranslator, type PortNames, type Translator } from "./port-names";

/** Server-component twin of `usePortNames` (async translator). */
export async function getPortNames(fallback?: Map<string, string>): Promise<PortNames> {
  const t = await getTranslations("ports");
  return fromTranslator(t as unknown as Translator, fallback);
}
