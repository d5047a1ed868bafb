import { getTranslations } from "next-intl/server";
import { CheckoutSuccess } from "@/components/booking/checkout-success";
import { NoReference } from "@/components/booking/no-reference";
import { personalPageMetadata } from "@/i18n/metadata";
import { type LocalePageProps, openLocalePage, queryParam } from "@/i18n/page-props";

export const generateMetadata = personalPageMetadata("checkout.success", "metaTitle");

export default async function CheckoutSuccessPage(props: LocalePageProps) {
  const { query } = await openLocalePage(props);
  const sessionId = queryParam(query, "session_id");
  const t = await getTranslations("checkout.success");
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-8">
      {sessionId ? (
        <CheckoutSuccess sessionId={sessionId} />
      ) : (
        <NoReference title={t("missingTitle")} body={t("missingBody")} manage={t("manage")} />
      )}
    </main>
  );
}
