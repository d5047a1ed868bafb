import { and, eq, inArray, isNull } from "drizzle-orm";
import { ports, routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import type { HeldConnectedLeg } from "./operator-hold";
import { sailingRoute } from "@/server/db/queries/joins";

/** What `createBooking` checks of each leg's sailing, whether it is own or a connected operator's. */
export async function loadOwnSailings(svc: Services, ids: number[]) {
  if (ids.length === 0) return new Map<number, SailingFacts>();
  const rows = await svc.db
    .select({
      id: sailings.id,
      status: sailings.status,
      departureAt: sailings.departureAt,
      arrivalAt: sailings.arrivalAt,
      fromPort: routes.fromPort,
      toPort: routes.toPort,
      international: routes.international,
      fromTz: ports.timeZone,
    })
    .from(sailings)
    .innerJoin(routes, sailingRoute)
    .innerJoin(ports, eq(ports.code, routes.fromPort))
    // A connected operator's shadow row is no own sailing: it is booked by its connected id only.
    .where(and(inArray(sailings.id, ids), isNull(sailings.operatorSailingId)));
  return new Map<number, SailingFacts>(rows.map((s) => [s.id, s]));
}

export interface SailingFacts {
  status: string;
  departureAt: Date;
  arrivalAt: Date;
  fromPort: string;
  toPort: string;
  international: boolean;
  fromTz: string;
}

/** What a connected leg's operator said of its sailing, in the own sailings' terms. */
export async function connectedFacts(
  svc: Services,
  held: HeldConnectedLeg[],
): Promise<Map<string, SailingFacts>> {
  const codes = [...new Set(held.flatMap((h) => [h.sailing.from, h.sailing.to]))];
  const known = codes.length ? await svc.db.select().from(ports).where(inArray(ports.code, codes)) : [];
  const port = new Map(known.map((p) => [p.code, p]));
  const out = new Map<string, SailingFacts>();
  for (const h of held) {
    const from = port.get(h.sailing.from);
    const to = port.get(h.sailing.to);
    if (!from || !to) {
      throw new AppError(
        "SAILING_NOT_SOLD",
        "This sailing's ports are not sold on Traverse yet. Choose another sailing.",
        {},
      );
    }
    out.set(h.direction, {
      status: h.sailing.status,
      departureAt: h.sailing.departureAt,
      arrivalAt: h.sailing.arrivalAt,
      fromPort: h.sailing.from,
      toPort: h.sailing.to,
      international: from.country !== to.country,
      fromTz: from.timeZone,
    });
  }
  return out;
}
