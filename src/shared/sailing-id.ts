/**
 * Sailing ids as clients see them: opaque, and whatever search returns, `search.sailing` and
 * `booking.create` accept. An own operator's sailing (sold from Traverse's inventory) is its positive
 * integer row id, as it always was; a connected operator's sailing is `<operator code>:<the operator's own
 * sailing id>`, e.g. `GNV:GNV-TUNGOA-20261204-2000`. Clients never take them apart: only this module does.
 * Client-safe.
 */
export type SailingId = number | string;

export type ParsedSailingId =
  | { source: "own"; id: number }
  | { source: "connected"; operator: string; operatorSailingId: string };

const CONNECTED = /^([A-Z]{3}):([A-Za-z0-9._-]{1,80})$/;

export function parseSailingId(id: SailingId): ParsedSailingId | null {
  if (typeof id === "number") return Number.isSafeInteger(id) && id > 0 ? { source: "own", id } : null;
  const m = CONNECTED.exec(id);
  return m ? { source: "connected", operator: m[1] as string, operatorSailingId: m[2] as string } : null;
}

export function connectedSailingId(operator: string, operatorSailingId: string): string {
  const id = `${operator}:${operatorSailingId}`;
  if (!CONNECTED.test(id)) throw new Error("not a valid connected sailing id");
  return id;
}

export function isSailingId(value: unknown): value is SailingId {
  return (typeof value === "number" || typeof value === "string") && parseSailingId(value) !== null;
}

/** Stable text form for URLs and React keys (own ids print as digits, which never contain a colon). */
export function sailingIdKey(id: SailingId): string {
  return String(id);
}

/** The reverse of `sailingIdKey`, for ids read back from a URL. */
export function sailingIdFromKey(key: string): SailingId | null {
  if (/^[1-9][0-9]{0,15}$/.test(key)) {
    const n = Number(key);
    return Number.isSafeInteger(n) ? n : null;
  }
  return parseSailingId(key) ? key : null;
}

/**
 * A booking link's leg, `<sailing id>:<class>` (`out=123:SEAT`, `out=GNV:GNV-TUNGOA-20261204-2000:DECK`):
 * the class is after the last colon, so a connected id's own colon stays in the id.
 */
export function parseLegParam(value: string): { sailingId: SailingId; accommodation: string } | null {
  const at = value.lastIndexOf(":");
  if (at <= 0) return null;
  const sailingId = sailingIdFromKey(value.slice(0, at));
  const accommodation = value.slice(at + 1);
  return sailingId !== null && /^[A-Z_]+$/.test(accommodation) ? { sailingId, accommodation } : null;
}
