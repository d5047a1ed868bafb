"use client";

import Link from "next/link";
import { useState } from "react";
import { dateTime } from "../format";
import type { RouteRow, SailingRow, VesselRow } from "../types";
import { Alert, Badge, btnLink, btnSecondary, Facts } from "../ui";
import { CancelOutcome, type CancelResult, CancelSailing } from "./cancel-sailing";
import { CapacityForm } from "./capacity-form";
import { UpdateSailingForm } from "./update-sailing-form";

/** One sailing: move it or change its vessel, set capacities, or cancel it (with every booking on it). */
export function SailingEditor({
  sailing,
  route,
  vessels,
  onClose,
  onChanged,
}: {
  sailing: SailingRow;
  route: RouteRow;
  vessels: VesselRow[];
  onClose: () => void;
  onChanged: (s: SailingRow) => void;
}) {
  const [cancelResult, setCancelResult] = useState<{ result: CancelResult; currency: string } | null>(null);
  const cancelled = sailing.status === "CANCELLED";
  const past = sailing.departureAt.getTime() <= Date.now();
  const title = `${sailing.from.code} → ${sailing.to.code}, ${dateTime(sailing.departureAt, sailing.from.timeZone)}`;
  return (
    <section
      aria-labelledby="sailing-editor-title"
      className="grid gap-4 rounded-lg border-2 border-sea-600 bg-white p-4 shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id="sailing-editor-title" tabIndex={-1} className="text-lg font-bold text-sea-900">
            Sailing {sailing.id}: {title}
          </h2>
          <Facts
            items={[
              ["Status", <Badge key="s" value={sailing.status} />],
              ["Arrival", dateTime(sailing.arrivalAt, sailing.to.timeZone)],
              ["Vessel", sailing.vessel.name],
              [
                "Active bookings",
                <Link key="b" className={btnLink} href={`/admin/bookings?sailing=${sailing.id}`}>
                  {sailing.activeBookings} — see bookings
                </Link>,
              ],
              [
                "Prices",
                <Link
                  key="p"
                  className={btnLink}
                  href={`/admin/prices?route=${route.id}&sailing=${sailing.id}`}
                >
                  Overrides for this sailing
                </Link>,
              ],
            ]}
          />
        </div>
        <button type="button" className={btnSecondary} onClick={onClose}>
          Close
        </button>
      </div>
      {cancelled ? <Alert tone="info">This sailing is cancelled; it can no longer be changed.</Alert> : null}
      {!cancelled && past ? (
        <Alert tone="info">This sailing has left; it can no longer be changed.</Alert>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <UpdateSailingForm
          sailing={sailing}
          route={route}
          vessels={vessels}
          disabled={cancelled || past}
          onChanged={onChanged}
        />
        <CapacityForm sailing={sailing} disabled={cancelled} onChanged={onChanged} />
      </div>
      {!cancelled && !past ? (
        <CancelSailing sailing={sailing} route={route} title={title} onResult={setCancelResult} />
      ) : null}
      {cancelResult ? <CancelOutcome result={cancelResult.result} currency={cancelResult.currency} /> : null}
    </section>
  );
}
