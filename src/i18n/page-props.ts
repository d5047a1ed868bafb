import { setRequestLocale } from "next-intl/server";

export type QueryParams = Record<string, string | string[] | undefined>;

/** What Next passes a page under `[locale]` that reads its query string. */
export interface LocalePageProps {
  params: Promise<{ locale: string }>;
  searchParams: Promise<QueryParams>;
}

/** The start of such a page: next-intl learns the request's locale (static rendering needs it), then the query. */
export async function openLocalePage(
  props: LocalePageProps,
): Promise<{ locale: string; query: QueryParams }> {
  const { locale } = await props.params;
  setRequestLocale(locale);
  return { locale, query: await props.searchParams };
}

/** A query parameter given once, or "" (absent, or repeated). */
export function queryParam(query: QueryParams, name: string): string {
  const value = query[name];
  return typeof value === "string" ? value : "";
}
