import { hasLocale } from "next-intl";
import { getRequestConfig } from "next-intl/server";
import { routing } from "./routing";

/**
 * Messages are split per namespace (messages/<locale>/<namespace>.json) so features can be translated
 * and reviewed independently. Add a namespace here when you add its files for every locale.
 */
export const namespaces = ["meta", "nav", "home", "common", "search", "ports", "book", "checkout", "manage", "ticket", "errors"] as const;

export async function loadMessages(locale: string): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    namespaces.map(async (ns) => [ns, (await import(`../../messages/${locale}/${ns}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  return { locale, messages: await loadMessages(locale) };
});
