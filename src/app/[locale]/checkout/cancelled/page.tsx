import { getTranslations, setRequestLocale } from "next-intl/server";
import { CheckoutCancelled } from "@/components/booking/checkout-cancelled";
import { NoReference } from "@/components/booking/no-reference";
import { personalPageMetadata } from "@/i18n/metadata";

export const generateMetadata = personalPageMetadata("checkout.cancelled", "metaTitle");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function CheckoutCancelledPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const sp = await searchParams;
  const paymentId = typeof sp.payment === "string" && UUID.test(sp.payment) ? sp.payment : "";
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
