"use client";

import { useTranslations } from "next-intl";
import { Link } from "@/i18n/navigation";
import type { BookingPageData } from "../booking-types";
import { linkClass } from "../form-fields";
import { LegCard } from "../leg-card";

/** Step 1: the sailings and classes chosen on the results page, with the way back to change them. */
export function StepTrip({
  data,
  searchLink,
}: {
  data: BookingPageData;
  searchLink: { pathname: string; query: Record<string, string> };
}) {
  const t = useTranslations("book");
  return (
    <div className="grid gap-3">
      {data.legs.map((leg) => (
        <LegCard key={leg.key} leg={leg} />
      ))}
      <p className="text-sm text-slate-700">
        {data.partyLabel} ·{" "}
        <Link href={searchLink} className={linkClass}>
          {t("trip.change")}
        </Link>
      </p>
    </div>
  );
}
