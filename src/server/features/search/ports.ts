import { asc } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { ports, routes } from "@/server/db/schema/network";

export interface PortInfo {
  code: string;
  name: string;
  country: string;
  timeZone: string;
  /** Codes of ports with at least one route from this one. */
  destinations: string[];
}

export async function listPorts(db: DbOrTx): Promise<PortInfo[]> {
  const [portRows, routeRows] = await Promise.all([
    db.select().from(ports).orderBy(asc(ports.name)),
    db.selectDistinct({ from: routes.fromPort, to: routes.toPort }).from(routes),
  ]);
  return portRows.map((p) => ({
    ...p,
    destinations: routeRows
      .filter((r) => r.from === p.code)
      .map((r) => r.to)
      .sort(),
  }));
}

// Ports and the route map change only with a deploy-level data change, so each process keeps them for a
// short while instead of asking Postgres (or Redis) on every search; this also keeps garbage port codes
// from ever reaching the cache as keys.
const DIRECTORY_TTL_MS = 30_000;
let directory: { at: number; ports: Map<string, PortInfo> } | undefined;

export async function portDirectory(db: DbOrTx): Promise<Map<string, PortInfo>> {
  if (directory && Date.now() - directory.at < DIRECTORY_TTL_MS) return directory.ports;
  const list = await listPorts(db);
  directory = { at: Date.now(), ports: new Map(list.map((p) => [p.code, p])) };
  return directory.ports;
}

/** For tests and admin edits of the network. */
export function forgetPortDirectory(): void {
  directory = undefined;
}
