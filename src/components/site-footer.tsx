import { getLocale, getTranslations } from "next-intl/server";
import { formatNumber } from "@/shared/format";

export async function SiteFooter() {
  const t = await getTranslations("common");
  const locale = await getLocale();
  return (
    <footer className="mt-16 border-t border-sea-100 bg-sea-900 text-sea-50">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-8 text-sm md:flex-row md:justify-between">
        <p>{t("footer.about")}</p>
        <p>{t("footer.times")}</p>
        <p>{t("footer.copyright", { year: formatNumber(locale, new Date().getUTCFullYear()) })}</p>
      </div>
    </footer>
  );
}
