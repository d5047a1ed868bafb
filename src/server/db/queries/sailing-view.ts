import type { BuildQueryResult, ExtractTablesWithRelations } from "drizzle-orm";
import type { Schema } from "@/server/db/client";
import type { RefundPolicy } from "@/server/db/schema/network";
import type { SailingStatus } from "@/server/db/schema/sailings";

/**
 * A sailing with its route, both ports, the operator and the vessel: what every page and document that
 * names a sailing shows. Read it through `sailingWith` inside any relational query
 * (`db.query.sailings.findMany({ ...sailingWith, where })`, or `with: { sailing: sailingWith }` from a
 * row that links to one) and flatten the result with `toSailingView`.
 */
export interface SailingView {
  id: number;
  status: SailingStatus;
  departureAt: Date;
  arrivalAt: Date;
  from: PortView;
  to: PortView;
  operator: { code: string; name: string };
  vessel: { id: number; name: string };
  route: { id: number; international: boolean; refundPolicy: RefundPolicy };
}

export interface PortView {
  code: string;
  name: string;
  timeZone: string;
}

const port = { columns: { code: true, name: true, timeZone: true } } as const;

/** A route's two ports and its operator, for `with` on a route (`db.query.routes.findMany({ with: routeEnds })`). */
export const routeEnds = { from: port, to: port, operator: { columns: { code: true, name: true, kind: true } } } as const;

export const sailingWith = {
  columns: { id: true, status: true, departureAt: true, arrivalAt: true },
  with: {
    route: { columns: { id: true, international: true, refundPolicy: true }, with: routeEnds },
    vessel: { columns: { id: true, name: true } },
  },
} as const;

type Tables = ExtractTablesWithRelations<Schema>;
export type SailingRow = BuildQueryResult<Tables, Tables["sailings"], typeof sailingWith>;

export function toSailingView(s: SailingRow): SailingView {
  const { from, to, operator, ...route } = s.route;
  return {
    id: s.id,
    status: s.status,
    departureAt: s.departureAt,
    arrivalAt: s.arrivalAt,
    from,
    to,
    operator,
    vessel: s.vessel,
    route,
  };
}
