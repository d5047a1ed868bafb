"use client";

import { useTranslations } from "next-intl";

/**
 * Validation problems are shown by the page itself with the form; this boundary is for the rest (database
 * briefly down, a bug): say nothing was booked and offer a retry.
 */
// Production redacts server error messages, so the text comes from our messages, not from `error`.
export default function SearchErrorBoundary({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations("common.error");
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 pt-6">
      <h1 className="text-2xl font-bold text-sea-900">{t("title")}</h1>
      <div role="alert" className="mt-3 rounded-xl border-2 border-coral-600 bg-white p-4">
        <p>{t("body")}</p>
      </div>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-full bg-sea-700 px-6 py-2.5 font-semibold text-white hover:bg-sea-900"
      >
        {t("retry")}
      </button>
    </main>
  );
}
