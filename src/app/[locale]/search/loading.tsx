import { useTranslations } from "next-intl";

const STRIP = ["d1", "d2", "d3", "d4", "d5", "d6", "d7"];
const CARDS = ["s1", "s2", "s3"];

/** Shown while the server loads a search (first visit or a new day from the strip). */
export default function SearchLoading() {
  const t = useTranslations("search.results");
  return (
    <main id="main" className="mx-auto max-w-6xl px-4 pt-6" aria-busy="true">
      <p role="status" className="text-lg font-semibold text-sea-900">
        {t("loading")}
      </p>
      <div className="mt-4 flex gap-2 overflow-hidden" aria-hidden="true">
        {STRIP.map((k) => (
          <div key={k} className="h-20 min-w-24 animate-pulse rounded-xl bg-sea-100" />
        ))}
      </div>
      <ul className="mt-6 grid gap-4" aria-hidden="true">
        {CARDS.map((k) => (
          <li key={k} className="h-48 animate-pulse rounded-2xl bg-white shadow-sm" />
        ))}
      </ul>
    </main>
  );
}
