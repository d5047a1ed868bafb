import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { BookPage } from "@/components/booking/book-page";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ locale: string }>;
}): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "book" });
  // Personal, short-lived pages: keep them out of search engines.
  return { title: t("title"), robots: { index: false } };
}

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  return <BookPage locale={locale} searchParams={await searchParams} />;
}
