import { asc } from "drizzle-orm";
import { ports, routes } from "@/server/db/schema/network";
import { memoKey } from "@/server/lib/memo";
import type { Services } from "@/server/services";

export interface PortInfo {
  code: string;
  name: string;
  country: string;
  timeZone: string;
  /** Codes of ports with at least one route from this one. */
  destinations: string[];
}

export async function listPorts(svc: Services): Promise<PortInfo[]> {
  const { db } = svc;
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
const DIRECTORY = memoKey("search.portDirectory", () => ({
  current: undefined as { at: number; ports: Map<string, PortInfo> } | undefined,
}));

/** Ports by code, with their destinations; this process's copy, at most DIRECTORY_TTL_MS old. */
export async function portDirectory(svc: Services): Promise<Map<string, PortInfo>> {
  const directory = svc.memo.get(DIRECTORY);
  const now = Date.now();
  if (directory.current && now - directory.current.at < DIRECTORY_TTL_MS) return directory.current.ports;
  const list = await listPorts(svc);
  directory.current = { at: now, ports: new Map(list.map((p) => [p.code, p])) };
  return directory.current.ports;
}

/** Which operators sail a route pair (`FROM-TO`), and whether the crossing is international. */
export type PairOperators = Map<string, { operatorCode: string; international: boolean }[]>;

const PAIRS = memoKey("search.pairOperators", () => ({
  current: undefined as { at: number; pairs: PairOperators } | undefined,
}));

/** The route map by pair; this process's copy, at most DIRECTORY_TTL_MS old, like `portDirectory`. */
export async function pairOperators(svc: Services): Promise<PairOperators> {
  const memo = svc.memo.get(PAIRS);
  const now = Date.now();
  if (memo.current && now - memo.current.at < DIRECTORY_TTL_MS) return memo.current.pairs;
  const rows = await svc.db
    .select({
      from: routes.fromPort,
      to: routes.toPort,
      operatorCode: routes.operatorCode,
      international: routes.international,
    })
    .from(routes);
  const pairs: PairOperators = new Map();
  for (const r of rows) {
    const key = `${r.from}-${r.to}`;
    const list = pairs.get(key) ?? [];
    list.push({ operatorCode: r.operatorCode, international: r.international });
    pairs.set(key, list);
  }
  memo.current = { at: now, pairs };
  return pairs;
}
