import type { Metadata } from "next";
import { setRequestLocale } from "next-intl/server";
import { SearchPage, searchMetadata } from "@/components/search/search-page";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: SearchParams;
}): Promise<Metadata> {
  const { locale } = await params;
  return searchMetadata(locale, await searchParams);
}

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: SearchParams;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  return <SearchPage locale={locale} searchParams={await searchParams} />;
}
