"use client";

import { accommodations, passengerTypes, vehicleTypes } from "@/shared/constants";
import { ACCOMMODATION_NAMES, PASSENGER_TYPE_NAMES, VEHICLE_NAMES } from "../format";
import type { AdminOutputs, RouteRow } from "../types";
import { Section } from "../ui";
import { FareCell } from "./fare-cell";

type Fares = AdminOutputs["pricing"]["routeFares"];
type Fare = Fares["defaults"][number];

/** The route's own prices, each editable in place: passenger fares by class and type, then supplements. */
export function RouteFares({ route, fares, currency }: { route: RouteRow; fares: Fares; currency: string }) {
  const find = (pred: (f: Fare) => boolean) => fares.defaults.find(pred);
  return (
    <Section
      title="Route fares"
      description="The default price for every sailing on this route, unless a sailing has its own override."
    >
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">Passenger fares by accommodation and passenger type</caption>
          <thead className="bg-sand-100 text-left">
            <tr>
              <th scope="col" className="px-2 py-2">
                Accommodation
              </th>
              {passengerTypes.map((p) => (
                <th key={p} scope="col" className="px-2 py-2">
                  {PASSENGER_TYPE_NAMES[p]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {accommodations.map((a) => (
              <tr key={a} className="border-t border-slate-200 align-top">
                <th scope="row" className="px-2 py-2 text-left">
                  {ACCOMMODATION_NAMES[a]}
                </th>
                {passengerTypes.map((p) => {
                  const f = find(
                    (x) => x.kind === "PASSENGER" && x.accommodation === a && x.passengerType === p,
                  );
                  return (
                    <td key={p} className="px-2 py-2">
                      <FareCell
                        key={route.id}
                        label={`${ACCOMMODATION_NAMES[a]}, ${PASSENGER_TYPE_NAMES[p]}`}
                        amount={f?.amount ?? null}
                        currency={currency}
                        routeId={route.id}
                        item={{ kind: "PASSENGER", accommodation: a, passengerType: p }}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <table className="w-full text-sm">
          <caption className="pb-1 text-left font-bold text-sea-900">
            Vehicle supplements (per crossing)
          </caption>
          <tbody>
            {vehicleTypes.map((v) => {
              const f = find((x) => x.kind === "VEHICLE" && x.vehicleType === v);
              return (
                <tr key={v} className="border-t border-slate-200 align-top">
                  <th scope="row" className="px-2 py-2 text-left font-normal">
                    {VEHICLE_NAMES[v]}
                  </th>
                  <td className="px-2 py-2">
                    <FareCell
                      key={route.id}
                      label={`Vehicle supplement, ${VEHICLE_NAMES[v]}`}
                      amount={f?.amount ?? null}
                      currency={currency}
                      routeId={route.id}
                      item={{ kind: "VEHICLE", vehicleType: v }}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <table className="w-full self-start text-sm">
          <caption className="pb-1 text-left font-bold text-sea-900">Pet supplement (per pet)</caption>
          <tbody>
            <tr className="border-t border-slate-200 align-top">
              <th scope="row" className="px-2 py-2 text-left font-normal">
                Pet in a kennel
              </th>
              <td className="px-2 py-2">
                <FareCell
                  key={route.id}
                  label="Pet supplement"
                  amount={find((x) => x.kind === "PET")?.amount ?? null}
                  currency={currency}
                  routeId={route.id}
                  item={{ kind: "PET" }}
                />
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </Section>
  );
}
