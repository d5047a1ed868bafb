import { operatorRouteKey, operatorSailingKey, routeKey } from "@/server/features/cache/keys";
import { CacheLoadFailed } from "@/server/features/cache/cache";
import type { Accommodation, Resource } from "@/server/db/schema/resources";
import type { OperatorConnector, Party, SailingOffer } from "@/server/features/operators/connector";
import type { OperatorEntry } from "@/server/features/operators/directory";
import { isOperatorError } from "@/server/features/operators/operator-error";
import { memoKey } from "@/server/lib/memo";
import type { Services } from "@/server/services";
import type { Money } from "@/shared/money";

/**
 * A connected operator's sailings for a route pair and day, asked of its reservation system (through its
 * connector, which is bounded by the operator's timeout and breaker) and cached:
 *
 * - the schedule and fares of (operator, pair, day, party) for 300 s: the operator prices a whole party
 *   per class, so the party is part of the key. The entry depends on the pair's version (admin clears,
 *   bookings) and on the operator's share of it (its change feed, `operatorRouteKey`);
 * - each sailing's free places for 60 s, party-independent, written by the same GetSailings call.
 *
 * Single flight: concurrent misses of one entry, in any process, make one upstream call (features/cache);
 * a failed call is shared with its waiters for a second, so a hung operator is asked once, not by everyone.
 */

export type OperatorSearchStatus = "ok" | "cached" | "timeout" | "error" | "unavailable";

/** What search reports for each operator it asked (own operators answer from Postgres). */
export interface OperatorAnswer {
  code: string;
  name: string;
  source: "own" | "connected";
  status: OperatorSearchStatus;
  ms: number;
}

/** The cached part of one connected sailing (plain JSON: times are epoch ms). */
export interface ConnectedScheduled {
  ref: string;
  departureAt: number;
  arrivalAt: number;
  vesselName: string;
  cancelled: boolean;
  classes: { accommodation: Accommodation; unit: "place" | "cabin"; total: Money }[];
}

export interface ConnectedAvailability {
  free: Partial<Record<Resource, number>>;
  /** Open for sale (not closed, departed or cancelled). */
  onSale: boolean;
}

/** Where a connected sailing sails, kept a day so `search.sailing` can find its route from its id. */
export interface ConnectedSailingPlace {
  from: string;
  to: string;
  date: string;
}

export interface ConnectedDay {
  answer: OperatorAnswer;
  sailings: { sailing: ConnectedScheduled; availability: ConnectedAvailability }[];
}

/** Extra time over the operator's own timeout for Redis round trips, before search stops waiting. */
const DEADLINE_SLACK_MS = 150;
/** How much longer than the operator's timeout a load may hold the single-flight lock. */
const LOCK_MARGIN_MS = 1_000;
/** How long a failed upstream call is shared with its waiters and with requests arriving meanwhile. */
const SHARED_FAILURE_MS = 1_000;

/**
 * Upstream calls in flight in this process, so expired availability is fetched once per day and party;
 * a failed call stays for SHARED_FAILURE_MS. A success is never kept: the cache holds it, versioned.
 */
const INFLIGHT = memoKey("search.connectedInflight", () => new Map<string, Promise<SailingOffer[]>>());

export function partyKey(p: Party): string {
  return [p.adults, p.children ?? 0, p.infants ?? 0, p.vehicle ?? "-", p.pets ?? 0].join(".");
}

export function statusOf(error: unknown): OperatorSearchStatus {
  if (error instanceof CacheLoadFailed) return error.reason as OperatorSearchStatus;
  if (!isOperatorError(error)) return "error";
  if (error.kind === "timeout") return "timeout";
  if (error.kind === "circuit_open" || error.kind === "unavailable" || error.kind === "rate_limited")
    return "unavailable";
  return "error";
}

function toScheduled(o: SailingOffer): ConnectedScheduled {
  return {
    ref: o.sailingRef,
    departureAt: o.departureAt.getTime(),
    arrivalAt: o.arrivalAt.getTime(),
    vesselName: o.vesselName,
    cancelled: o.status === "CANCELLED",
    classes: o.classes.map((c) => ({ accommodation: c.accommodation, unit: c.unit, total: c.total })),
  };
}

function toAvailability(o: SailingOffer): ConnectedAvailability {
  return { free: { ...o.free }, onSale: o.onSale && !o.departed && o.status !== "CANCELLED" };
}

const availabilityKeyOf = operatorSailingKey;

/**
 * One connected operator's answer for a day, never later than its timeout (plus a little for Redis): a
 * slower answer is reported as `timeout` while the call goes on and fills the cache for the next search.
 */
export async function connectedDay(
  svc: Services,
  op: { entry: OperatorEntry; connector: OperatorConnector },
  q: { from: string; to: string; date: string },
  party: Party,
): Promise<ConnectedDay> {
  const started = performance.now();
  const { entry, connector } = op;
  const timeoutMs = entry.timeoutMs ?? 1_500;
  const inflight = svc.memo.get(INFLIGHT);
  const fetchKey = `${entry.code}|${routeKey(q.from, q.to)}|${q.date}|${partyKey(party)}`;
  const fetchDay = () => {
    let p = inflight.get(fetchKey);
    if (!p) {
      p = connector.sailings({ from: q.from, to: q.to }, q.date, party).then(
        (offers) => {
          inflight.delete(fetchKey);
          return offers;
        },
        (e: unknown) => {
          // A failure stays here for SHARED_FAILURE_MS, as it does in Redis: the rest of a burst in this
          // process gets it instead of asking again, even when Redis is too slow to hold the mark.
          setTimeout(() => inflight.delete(fetchKey), SHARED_FAILURE_MS).unref();
          throw e;
        },
      );
      inflight.set(fetchKey, p);
    }
    return p;
  };
  // The schedule and its availability come from one answer: when the cache cannot prime the availability
  // (Redis down), its loads reuse this search's call instead of asking the operator a second time.
  let answerOfThisSearch: Promise<SailingOffer[]> | undefined;
  const offersOnce = () => {
    answerOfThisSearch ??= fetchDay();
    return answerOfThisSearch;
  };
  let loaded = false;
  const read = svc.cache.readWith(
    `${q.date}:${partyKey(party)}`,
    async (ctx) => {
      loaded = true;
      const offers = await offersOnce();
      for (const o of offers) {
        ctx.prime("operator-availability", availabilityKeyOf(entry.code, o.sailingRef), toAvailability(o));
        const place: ConnectedSailingPlace = { from: q.from, to: q.to, date: q.date };
        ctx.prime("operator-sailing", availabilityKeyOf(entry.code, o.sailingRef), place);
      }
      return offers.map(toScheduled);
    },
    {
      kind: "operator-schedule",
      versions: [routeKey(q.from, q.to), operatorRouteKey(entry.code, q.from, q.to)],
      operator: entry.code,
      // Waiters never ask the operator themselves while its call may still answer: the search gives up on
      // them first (the deadline below), and the call fills the cache for the next one.
      lockMs: timeoutMs + LOCK_MARGIN_MS,
      shareFailure: { reason: statusOf, ms: SHARED_FAILURE_MS },
    },
    {
      kind: "operator-availability",
      operator: entry.code,
      keysOf: (day: ConnectedScheduled[]) => day.map((s) => availabilityKeyOf(entry.code, s.ref)),
      load: async (key) => {
        loaded = true;
        const offers = await offersOnce();
        const o = offers.find((x) => availabilityKeyOf(entry.code, x.sailingRef) === key);
        return o ? toAvailability(o) : { free: {}, onSale: false };
      },
    },
  );
  const ms = () => Math.round(performance.now() - started);
  const answer = (status: OperatorSearchStatus): OperatorAnswer => ({
    code: entry.code,
    name: entry.name,
    source: "connected",
    status,
    ms: ms(),
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => resolve("deadline"), timeoutMs + DEADLINE_SLACK_MS);
  });
  try {
    const res = await Promise.race([read, deadline]);
    if (res === "deadline") {
      read.catch(() => {}); // it goes on, and fills the cache for the next search
      return { answer: answer("timeout"), sailings: [] };
    }
    return {
      answer: answer(loaded ? "ok" : "cached"),
      sailings: res.value.map((sailing, i) => ({
        sailing,
        availability: res.related[i] ?? { free: {}, onSale: false },
      })),
    };
  } catch (e) {
    const status = statusOf(e);
    svc.log.warn("operator search failed", { operator: entry.code, status });
    return { answer: answer(status), sailings: [] };
  } finally {
    clearTimeout(timer);
  }
}

/** Where a connected sailing listed by a recent search sails; undefined when no search listed it lately. */
export async function findConnectedSailing(
  svc: Services,
  operator: string,
  ref: string,
): Promise<ConnectedSailingPlace | undefined> {
  // Nothing to load it from: a miss throws, so nothing is stored for an id no search listed.
  const missing = async (): Promise<ConnectedSailingPlace> => {
    throw new Error("not listed by a recent search");
  };
  return svc.cache
    .read(availabilityKeyOf(operator, ref), missing, { kind: "operator-sailing", operator })
    .catch(() => undefined);
}
