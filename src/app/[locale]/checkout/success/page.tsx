import { getTranslations, setRequestLocale } from "next-intl/server";
import { CheckoutSuccess } from "@/components/booking/checkout-success";
import { NoReference } from "@/components/booking/no-reference";
import { personalPageMetadata } from "@/i18n/metadata";

export const generateMetadata = personalPageMetadata("checkout.success", "metaTitle");

export default async function CheckoutSuccessPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const sp = await searchParams;
  const sessionId = typeof sp.session_id === "string" ? sp.session_id : "";
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
