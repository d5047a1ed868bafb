import { getTranslations, setRequestLocale } from "next-intl/server";
import { SearchForm } from "@/components/search/search-form";
import { serverApi } from "@/trpc/server";

export default async function HomePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("home");
  // The route map comes with the page, so the port pickers work on first paint without a client fetch.
  const ports = await (await serverApi()).search.ports();
  return (
    <main id="main">
      <section className="bg-gradient-to-b from-sea-900 to-sea-700 text-white">
        <div className="mx-auto max-w-6xl px-4 pb-24 pt-10 md:pt-14">
          <h1 className="text-3xl font-bold md:text-5xl">{t("headline")}</h1>
          <p className="mt-3 max-w-2xl text-lg text-sea-50">{t("lead")}</p>
        </div>
      </section>
      <div className="mx-auto -mt-16 max-w-6xl px-4">
        <section aria-labelledby="search-title" className="rounded-2xl bg-sand-100 p-5 shadow-lg md:p-8">
          <h2 id="search-title" className="mb-4 text-xl font-bold text-sea-900">
            {t("formTitle")}
          </h2>
          <SearchForm
            ports={ports.map(({ code, timeZone, destinations }) => ({ code, timeZone, destinations }))}
          />
        </section>
        <section aria-labelledby="why-title" className="mt-12">
          <h2 id="why-title" className="text-xl font-bold text-sea-900">
            {t("why.title")}
          </h2>
          <ul className="mt-4 grid gap-4 md:grid-cols-3">
            {(["operators", "families", "local"] as const).map((k) => (
              <li key={k} className="rounded-xl border-s-4 border-sea-600 bg-white p-4 shadow-sm">
                {t(`why.${k}`)}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </main>
  );
}
