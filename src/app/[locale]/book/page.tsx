import { BookPage } from "@/components/booking/book-page";
import { personalPageMetadata } from "@/i18n/metadata";
import { type LocalePageProps, openLocalePage } from "@/i18n/page-props";

export const generateMetadata = personalPageMetadata("book");

export default async function Page(props: LocalePageProps) {
  const { locale, query } = await openLocalePage(props);
  return <BookPage locale={locale} searchParams={query} />;
}
