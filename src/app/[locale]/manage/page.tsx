import { getTranslations } from "next-intl/server";
import { ManageBooking } from "@/components/booking/manage-booking";
import { personalPageMetadata } from "@/i18n/metadata";
import { type LocalePageProps, openLocalePage, queryParam } from "@/i18n/page-props";

export const generateMetadata = personalPageMetadata("manage");

export default async function ManagePage(props: LocalePageProps) {
  const { query } = await openLocalePage(props);
  const ref = queryParam(query, "ref").trim().toUpperCase().slice(0, 20);
  const t = await getTranslations("manage");
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-bold text-sea-900 md:text-3xl">{t("title")}</h1>
      <p className="mt-2 mb-6 text-slate-700">{t("intro")}</p>
      <ManageBooking initialReference={ref} />
    </main>
  );
}
