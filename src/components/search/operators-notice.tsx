import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";

/**
 * Says plainly which operators' booking systems did not answer this search (their sailings are missing from
 * the list, not sold out) and offers to search again: a plain link to the same search, so it works without
 * scripts and a screen reader hears it as the status it is.
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
      <Link
        href={{ pathname: "/search", query }}
        className="mt-2 inline-block rounded-full border-2 border-sea-700 px-4 py-2 font-semibold text-sea-700 hover:bg-sea-50"
      >
        {t("tryAgain")}
      </Link>
    </div>
  );
}
