"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { OwnOperatorsNote, ownRoutes } from "../own-operators-note";
import { routeLabel } from "../types";
import { Alert, Loading, PageTitle, Select } from "../ui";
import { Overrides } from "./overrides";
import { RouteFares } from "./route-fares";

/** Prices of one route: its fares for every sailing, then the sailings that have their own. */
export function PricesPanel({
  initialRouteId,
  initialSailingId,
}: {
  initialRouteId?: number;
  initialSailingId?: number;
}) {
  const trpc = useTRPC();
  const routes = useQuery(trpc.admin.schedule.routes.queryOptions());
  const [routeId, setRouteId] = useState<number | undefined>(initialRouteId);
  const own = ownRoutes(routes.data);
  const route = own.find((r) => r.id === routeId) ?? own[0];
  const fares = useQuery({
    ...trpc.admin.pricing.routeFares.queryOptions({ routeId: route?.id ?? 0 }),
    enabled: Boolean(route),
  });
  const currency = fares.data?.currency ?? "EUR";

  return (
    <>
      <PageTitle>Prices</PageTitle>
      <Alert tone="info">Changes apply to new searches at once; existing bookings keep their price.</Alert>
      <OwnOperatorsNote routes={routes.data} what="Prices set here" />
      <div className="flex flex-wrap items-end gap-3">
        <Select
          label="Route"
          className="min-w-96"
          value={route?.id ?? ""}
          onChange={(e) => setRouteId(Number(e.target.value))}
        >
          {own.map((r) => (
            <option key={r.id} value={r.id}>
              {routeLabel(r)}
            </option>
          ))}
        </Select>
        {fares.data ? (
          <p className="pb-2 text-sm text-slate-700">Prices in {currency}, per person per crossing.</p>
        ) : null}
      </div>
      {routes.isError ? <Alert>{errorMessage(routes.error)}</Alert> : null}
      {fares.isError ? <Alert>{errorMessage(fares.error)}</Alert> : null}
      {fares.isPending && route ? <Loading what="Loading fares…" /> : null}
      {fares.data && route ? (
        <>
          <RouteFares route={route} fares={fares.data} currency={currency} />
          <Overrides
            route={route}
            fares={fares.data}
            currency={currency}
            initialSailingId={initialSailingId}
          />
        </>
      ) : null}
    </>
  );
}
