import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { bookingPageData, searchQueryFor } from "./booking-page-data";
import { BookingFlow } from "./flow/booking-flow";
import { loadTrip, parseBookingRequest } from "./load-trip";

/**
 * The booking page for the link the results page made (`/book?out=…&ret=…&adults=…`): the chosen sailings
 * re-priced from the server, then the booking steps; or why that trip can no longer be booked.
 */
export async function BookPage({
  locale,
  searchParams,
}: {
  locale: string;
  searchParams: Record<string, string | string[] | undefined>;
}) {
  const t = await getTranslations("book");
  const req = parseBookingRequest(searchParams);
  if (!req) return <Problem title={t("invalid.title")} body={t("invalid.body")} />;

  const loaded = await loadTrip(req);
  if (!loaded.ok) {
    return loaded.reason === "notFound" ? (
      <Problem title={t("invalid.title")} body={t("invalid.body")} />
    ) : (
      <Problem
        title={t("closed.title")}
        body={t("closed.body")}
        searchQuery={searchQueryFor(req, loaded.legs)}
      />
    );
  }
  const data = await bookingPageData(locale, req, loaded.legs);
  return (
    <main id="main" className="mx-auto max-w-6xl px-4 pt-6 pb-28 lg:pb-10">
      <h1 className="mb-1 text-2xl font-bold text-sea-900 md:text-3xl">{t("title")}</h1>
      <p className="mb-6 text-slate-700">{t("intro")}</p>
      <BookingFlow data={data} />
    </main>
  );
}

async function Problem({
  title,
  body,
  searchQuery,
}: {
  title: string;
  body: string;
  searchQuery?: Record<string, string>;
}) {
  const t = await getTranslations("book");
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="text-2xl font-bold text-sea-900">{title}</h1>
      <p className="mt-3 text-slate-800">{body}</p>
      <p className="mt-6">
        <Link
          href={
            searchQuery && Object.keys(searchQuery).length ? { pathname: "/search", query: searchQuery } : "/"
          }
          className="inline-flex rounded-full bg-coral-600 px-6 py-3 font-semibold text-white hover:bg-coral-700"
        >
          {t("searchAgain")}
        </Link>
      </p>
    </main>
  );
}
