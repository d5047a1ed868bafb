import { getTranslations } from "next-intl/server";
import { CheckoutCancelled } from "@/components/booking/checkout-cancelled";
import { NoReference } from "@/components/booking/no-reference";
import { personalPageMetadata } from "@/i18n/metadata";
import { type LocalePageProps, openLocalePage, queryParam } from "@/i18n/page-props";

export const generateMetadata = personalPageMetadata("checkout.cancelled", "metaTitle");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function CheckoutCancelledPage(props: LocalePageProps) {
  const { query } = await openLocalePage(props);
  const payment = queryParam(query, "payment");
  const paymentId = UUID.test(payment) ? payment : "";
  const t = await getTranslations("checkout.cancelled");
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-8">
      {paymentId ? (
        <CheckoutCancelled paymentId={paymentId} />
      ) : (
        <NoReference title={t("title")} body={t("missingBody")} manage={t("manage")} />
      )}
    </main>
  );
}
