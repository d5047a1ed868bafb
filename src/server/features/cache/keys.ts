/**
 * What the cache stores and under which Redis keys. Callers name an entry by its kind, the route pairs
 * whose versions it depends on, and a key of their own; the physical key embeds the global version (so
 * "clear all" reaches everything) and those route versions (so a route bump makes readers ask for a new
 * key), and only this folder builds it.
 */

export type CacheKind =
  | "schedule"
  | "availability"
  | "calendar"
  | "operator-schedule"
  | "operator-availability"
  | "operator-sailing";
export const cacheKinds: CacheKind[] = [
  "schedule",
  "availability",
  "calendar",
  "operator-schedule",
  "operator-availability",
  "operator-sailing",
];

export const DEFAULT_TTL: Record<CacheKind, number> = {
  schedule: 300,
  availability: 60,
  calendar: 300,
  "operator-schedule": 300,
  "operator-availability": 60,
  /** Where a connected sailing sails (route, day), so a sailing id from a search can be looked up. */
  "operator-sailing": 86_400,
};

const PREFIX: Record<CacheKind, string> = {
  schedule: "sched",
  availability: "avail",
  calendar: "cal",
  "operator-schedule": "osched",
  "operator-availability": "oavail",
  "operator-sailing": "osail",
};

/**
 * Kinds whose keys embed the versions of everything they contain: a local copy can never be stale, so
 * processes keep one. Availability changes without a version bump (its key is deleted instead).
 */
export const IMMUTABLE_KINDS = new Set<CacheKind>(["schedule", "calendar", "operator-schedule"]);

export function routeKey(from: string, to: string): string {
  return `${from}-${to}`;
}

/** The version counter of one route pair, or of one connected operator's share of it. */
export function versionKey(version: string): string {
  return `v:route:${version}`;
}

export const GLOBAL_VERSION_KEY = "v:global";

/** `<prefix>:<global>[:<version name>:<version>]…:<key>`, e.g. `sched:1733:TUN-MRS:4:2027-01-06`. */
export function physicalKey(
  kind: CacheKind,
  global: number,
  versions: { name: string; value: number }[],
  key: string,
): string {
  const parts = [PREFIX[kind], String(global)];
  for (const v of versions) parts.push(v.name, String(v.value));
  parts.push(key);
  return parts.join(":");
}

/** How a load is named in the counters' journal: `<kind>:<version names>:<key>`, e.g. `schedule:TUN-MRS:2027-01-06`. */
export function journalName(kind: CacheKind, versions: string[], key: string): string {
  return [kind, ...versions, key].join(":");
}

/** The version of one connected operator's entries on a route pair: its change feed bumps only this one. */
export function operatorRouteKey(operator: string, from: string, to: string): string {
  return `${operator}/${routeKey(from, to)}`;
}

/** A connected sailing's availability (and place) entry key: `<operator>:<its sailing id>`. */
export function operatorSailingKey(operator: string, ref: string): string {
  return `${operator}:${ref}`;
}

/** An own sailing's availability key (what `physicalKey("availability", …)` builds). */
export function availabilityKey(globalVersion: number, sailingId: number): string {
  return physicalKey("availability", globalVersion, [], String(sailingId));
}
