import { setRequestLocale } from "next-intl/server";
import { BookPage } from "@/components/booking/book-page";
import { personalPageMetadata } from "@/i18n/metadata";

export const generateMetadata = personalPageMetadata("book");

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
