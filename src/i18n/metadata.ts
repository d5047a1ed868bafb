import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

/**
 * `generateMetadata` for a traveller's own pages (a booking, a payment's outcome): the title from the page's
 * messages, and kept out of search engines, since they are personal and short-lived.
 */
export function personalPageMetadata(
  namespace: "book" | "manage" | "checkout.success" | "checkout.cancelled",
  titleKey: "title" | "metaTitle" = "title",
) {
  return async ({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> => {
    const { locale } = await params;
    const t = await getTranslations({ locale, namespace });
    return { title: t(titleKey as never), robots: { index: false } };
  };
}
