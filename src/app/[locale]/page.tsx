import { getTranslations, setRequestLocale } from "next-intl/server";

export default async function HomePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("home");
  return (
    <main id="main" className="mx-auto max-w-5xl p-6">
      <h1 className="text-3xl font-bold text-sea-900">{t("headline")}</h1>
      <p className="mt-2 text-lg">{t("lead")}</p>
    </main>
  );
}
