import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { TicketProblem, TicketView } from "@/components/ticket/ticket-view";
import { routing } from "@/i18n/routing";
import { appServices } from "@/server/app-services";
import { manageBookingUrl } from "@/server/features/tickets/ticket-link";
import { loadTicketPage } from "@/server/features/tickets/tickets";

export const dynamic = "force-dynamic";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ locale: string }>;
}): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "ticket" });
  // The URL is a bearer token: keep it out of search engines and out of Referer headers.
  return { title: t("title"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

/** The printable e-ticket, reached by the signed link in the confirmation email or from manage-booking. */
export default async function TicketPage({ params }: { params: Promise<{ locale: string; token: string }> }) {
  const { locale, token } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const page = await loadTicketPage(appServices(), { token });
  if (page.state !== "ok") return <TicketProblem locale={locale} state={page.state} />;
  return (
    <TicketView
      locale={locale}
      booking={page.booking}
      tickets={page.tickets}
      manageUrl={manageBookingUrl(locale, page.booking.reference)}
    />
  );
}
