import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { operators, routes } from "@/server/db/schema/network";
import { AppError } from "@/server/lib/errors";

/**
 * Traverse's schedule and fare editors apply to own operators only. A connected operator's sailings,
 * fares and places live in its reservation system and are read from there, so a row edited here would
 * either do nothing or contradict the operator; the editors refuse instead, saying where to change it.
 */

export const CONNECTED_OPERATOR_REASON = "CONNECTED_OPERATOR";

export function connectedOperatorError(op: { code: string; name: string }): AppError {
  return new AppError(
    "BAD_REQUEST",
    `${op.name} (${op.code}) is a connected operator: its sailings and fares live in its own reservation system, and Traverse's schedule and price editors apply to own operators only. Change them with ${op.code}.`,
    { reason: CONNECTED_OPERATOR_REASON, operator: op.code },
  );
}

/** Throws for a route of a connected operator; an unknown route is left to the caller's own NOT_FOUND. */
export async function assertOwnRoute(db: DbOrTx, routeId: number): Promise<void> {
  const [op] = await db
    .select({ code: operators.code, name: operators.name, kind: operators.kind })
    .from(routes)
    .innerJoin(operators, eq(operators.code, routes.operatorCode))
    .where(eq(routes.id, routeId));
  if (op?.kind === "connected") throw connectedOperatorError(op);
}
