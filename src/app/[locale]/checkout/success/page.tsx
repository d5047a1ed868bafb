import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { CheckoutSuccess } from "@/components/booking/checkout-success";
import { Link } from "@/i18n/navigation";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ locale: string }>;
}): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "checkout.success" });
  return { title: t("metaTitle"), robots: { index: false } };
}

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
        <>
          <h1 className="text-2xl font-bold text-sea-900">{t("missingTitle")}</h1>
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
