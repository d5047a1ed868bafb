import { getTranslations } from "next-intl/server";

/**
 * Says plainly which operators' booking systems did not answer this search (their sailings are missing from
 * the list, not sold out) and offers to search again: a plain link that loads the same search afresh (a
 * client-side navigation to the URL already shown would keep the page as it is), which also works without
 * scripts.
 */
export async function OperatorsNotice({
  locale,
  operators,
  query,
}: {
  locale: string;
  /** Names of the operators that timed out, failed or were unavailable. */
  operators: string[];
  query: Record<string, string>;
}) {
  if (operators.length === 0) return null;
  const t = await getTranslations("search.results.operatorsMissing");
  const list = new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(operators);
  return (
    <div role="status" className="mt-4 rounded-2xl border-2 border-coral-600 bg-white p-4">
      <p className="font-medium">{t("body", { operators: list, count: operators.length })}</p>
      <a
        href={`/${locale}/search?${new URLSearchParams(query)}`}
        className="mt-2 inline-block rounded-full border-2 border-sea-700 px-4 py-2 font-semibold text-sea-700 hover:bg-sea-50"
      >
        {t("tryAgain")}
      </a>
    </div>
  );
}
