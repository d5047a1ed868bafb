import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { CheckoutCancelled } from "@/components/booking/checkout-cancelled";
import { Link } from "@/i18n/navigation";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ locale: string }>;
}): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "checkout.cancelled" });
  return { title: t("metaTitle"), robots: { index: false } };
}

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
        <>
          <h1 className="text-2xl font-bold text-sea-900">{t("title")}</h1>
          <p className="mt-3">{t("missingBody")}</p>
          <p className="mt-4">
            <Link href="/manage" className="font-semibold text-sea-700 underline">
              {t("manage")}
            </Link>
          </p>
        </>
      )}
    </main>
  );
}
