import { Suspense } from "react";
import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { LanguageSwitcher, LanguageSwitcherFallback } from "./language-switcher";
import { LogoMark } from "./logo-mark";

export async function SiteHeader() {
  const t = await getTranslations("nav");
  const c = await getTranslations("common");
  return (
    <header className="border-b border-sea-100 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 rounded-md">
          <LogoMark className="size-9" />
          <span className="text-xl font-bold tracking-tight text-sea-900">{c("brand")}</span>
          <span className="hidden text-sm text-slate-600 md:inline">{c("tagline")}</span>
        </Link>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <nav aria-label={t("main")}>
            <ul className="flex items-center gap-4 text-sm font-medium">
              <li>
                <Link href="/" className="text-sea-700 underline-offset-4 hover:underline">
                  {t("home")}
                </Link>
              </li>
              <li>
                <Link href="/manage" className="text-sea-700 underline-offset-4 hover:underline">
                  {t("manage")}
                </Link>
              </li>
            </ul>
          </nav>
          {/* useSearchParams needs a Suspense boundary so static shells still render the links. */}
          <Suspense fallback={<LanguageSwitcherFallback />}>
            <LanguageSwitcher />
          </Suspense>
        </div>
      </div>
    </header>
  );
}
