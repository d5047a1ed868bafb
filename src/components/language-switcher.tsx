"use client";

import { useSearchParams } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { Link, usePathname } from "@/i18n/navigation";
import { routing } from "@/i18n/routing";

/**
 * Links rather than a select: each language is one keyboard stop and works without JavaScript. The current
 * path and query are kept, so switching language on a results page keeps the search.
 */
export function LanguageSwitcher() {
  const t = useTranslations("nav");
  const locale = useLocale();
  const pathname = usePathname();
  const params = useSearchParams();
  const query = Object.fromEntries(params.entries());
  return <LanguageLinks current={locale} label={t("language")} href={{ pathname, query }} />;
}

/** Fallback while the query is not yet known (static shell): same links, to the same page without query. */
export function LanguageSwitcherFallback() {
  const t = useTranslations("nav");
  const locale = useLocale();
  const pathname = usePathname();
  return <LanguageLinks current={locale} label={t("language")} href={{ pathname }} />;
}

function LanguageLinks({
  current,
  label,
  href,
}: {
  current: string;
  label: string;
  href: { pathname: string; query?: Record<string, string> };
}) {
  const t = useTranslations("nav.languages");
  return (
    <nav aria-label={label}>
      <ul className="flex items-center gap-1 text-sm">
        {routing.locales.map((l) => (
          <li key={l}>
            <Link
              href={href}
              locale={l}
              lang={l}
              hrefLang={l}
              aria-current={l === current ? "true" : undefined}
              className={
                l === current
                  ? "rounded-md bg-sea-700 px-2 py-1 font-semibold text-white"
                  : "rounded-md px-2 py-1 text-sea-900 underline-offset-2 hover:bg-sea-100 hover:underline"
              }
            >
              {t(l)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
