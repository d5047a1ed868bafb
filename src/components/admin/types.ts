import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** What the admin procedures return, straight from the router's types (superjson keeps Dates as Dates). */
export type AdminOutputs = inferRouterOutputs<AppRouter>["admin"];
export type AdminInputs = inferRouterInputs<AppRouter>["admin"];

export type RouteRow = AdminOutputs["schedule"]["routes"][number];
export type VesselRow = AdminOutputs["schedule"]["vessels"][number];
export type SailingRow = AdminOutputs["schedule"]["list"][number];

export function routeLabel(r: RouteRow): string {
  return `${r.from.code} → ${r.to.code} · ${r.operator.name} (${r.from.name} → ${r.to.name})`;
}
