import { and, eq, isNull, sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/server/db/client";
import { fares } from "@/server/db/schema/fares";
import { sailingWith, toSailingView } from "@/server/db/queries/sailing-view";
import type { Accommodation } from "@/server/db/schema/resources";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { Cache } from "@/server/features/cache/cache";
import { searchSailingsInput } from "@/server/features/search/input";
import { searchSailings } from "@/server/features/search/sailings";
import { localDate } from "@/shared/dates";
import type { Services } from "@/server/services";
import { withLoads, withOverrides } from "../helpers/services";

/**
 * What one traveller sees of one sailing through the cached search (one adult, one accommodation), and
 * which Postgres loads that search needed. The invalidation tests read through this before and after a
 * trigger: a read with no loads and old values is a cache hit; a read matching an uncached search of the
 * same moment is fresh.
 */
export interface Seen {
  /** The sailing is listed on its day. */
  listed: boolean;
  price: number | undefined;
  remaining: number | undefined;
  cancelled: boolean | undefined;
  departureAt: number | undefined;
  /** Every sailing listed that day. */
  dayIds: (number | string)[];
}

export interface Read extends Seen {
  /** `schedule:<FROM>-<TO>:<date>` and `availability:<sailing id>` for each Postgres load. */
  loads: string[];
  scheduleLoaded: boolean;
  availabilityLoaded: boolean;
}

/** What the behind-the-back changes add: neither ever goes through an invalidation. */
export const PRICE_BUMP = 700;
export const CAPACITY_BUMP = 7;

export interface SearchProbe {
  sailingId: number;
  from: string;
  to: string;
  date: string;
  /** A search through `cache`. */
  read(): Promise<Read>;
  /** The same search with no cache at all: what Postgres says right now. */
  truth(): Promise<Seen>;
}

/**
 * A probe on the local departure day of `sailingId` (looked up in the database), searching with `svc`
 * (its database and process-local state) through `cache`.
 */
export async function searchProbe(
  svc: Services,
  cache: Cache,
  sailingId: number,
  accommodation: Accommodation = "DECK",
): Promise<SearchProbe> {
  const found = await svc.db.query.sailings.findFirst({ ...sailingWith, where: eq(sailings.id, sailingId) });
  const row = found && toSailingView(found);
  if (!row) throw new Error(`no sailing ${sailingId}`);
  return dayProbe(
    svc,
    cache,
    { from: row.from.code, to: row.to.code, date: localDate(row.departureAt, row.from.timeZone) },
    sailingId,
    accommodation,
  );
}

/** A probe on a given route pair and local day, watching `sailingId` (which need not exist yet). */
export function dayProbe(
  svc: Services,
  cache: Cache,
  day: { from: string; to: string; date: string },
  sailingId: number,
  accommodation: Accommodation = "DECK",
): SearchProbe {
  const input = searchSailingsInput.parse({ ...day, passengers: { adults: 1 } });
  const uncached = new Cache(null);
  const search = async (c: Cache, loads: string[]): Promise<Seen> => {
    const { result: res, loads: seen } = await withLoads(c, () =>
      searchSailings(withOverrides(svc, { cache: c }), input),
    );
    loads.push(...seen);
    const s = res.sailings.find((x) => x.id === sailingId);
    const o = s?.options.find((x) => x.accommodation === accommodation);
    return {
      listed: !!s,
      price: o?.total.amount,
      remaining: o?.remaining,
      cancelled: s?.cancelled,
      departureAt: s?.departureAt.getTime(),
      dayIds: res.sailings.map((x) => x.id),
    };
  };
  return {
    sailingId,
    ...day,
    async read() {
      const loads: string[] = [];
      const seen = await search(cache, loads);
      return {
        ...seen,
        loads,
        scheduleLoaded: loads.includes(`schedule:${day.from}-${day.to}:${day.date}`),
        availabilityLoaded: loads.includes(`availability:${sailingId}`),
      };
    },
    truth: () => search(uncached, []),
  };
}

/** What the cached day schedule decides (times, status, prices, which sailings): not availability. */
export function scheduleView(r: Seen) {
  return {
    listed: r.listed,
    price: r.price,
    cancelled: r.cancelled,
    departureAt: r.departureAt,
    dayIds: r.dayIds,
  };
}

function seen(r: Read): Seen {
  const { loads: _l, scheduleLoaded: _s, availabilityLoaded: _a, ...rest } = r;
  return rest;
}

/**
 * Steps 1 and 2 of every invalidation test: warm the cache, then change the database behind its back
 * (the route's adult deck fare + PRICE_BUMP, the sailing's deck capacity + CAPACITY_BUMP, no invalidation)
 * and prove the next read is a hit: the old values, and not a single Postgres load. The truth has moved,
 * so a later read that matches it can only come from a reload. Returns the warm read.
 */
export async function warmAndProveHit(db: Db, probe: SearchProbe): Promise<Read> {
  const warm = await probe.read();
  expect(warm.listed, `sailing ${probe.sailingId} is listed on ${probe.date}`).toBe(true);
  expect(warm.loads.length, "the first read loads from Postgres").toBeGreaterThan(0);
  await raiseFareBehindTheCache(db, probe.sailingId, PRICE_BUMP);
  await addCapacityBehindTheCache(db, probe.sailingId, "DECK", CAPACITY_BUMP);
  const hit = await probe.read();
  expect(hit.loads, "the second read is answered by the cache alone").toEqual([]);
  expect(seen(hit), "the cache still answers with what it stored").toEqual(seen(warm));
  const truth = await probe.truth();
  expect(truth.price).toBe(warm.price! + PRICE_BUMP);
  expect(truth.remaining).toBe(warm.remaining! + CAPACITY_BUMP);
  return warm;
}

/**
 * Step 3 when the trigger frees or takes places and bumps the route version: the next read reloads both
 * the schedule and the availability, shows `placesFreed` more places (negative when taken) on top of the
 * capacity added behind the cache, and matches an uncached search.
 */
export async function expectAllReloaded(probe: SearchProbe, warm: Read, placesFreed: number): Promise<Read> {
  const after = await probe.read();
  expect(after.remaining).toBe(warm.remaining! + CAPACITY_BUMP + placesFreed);
  expect(after.availabilityLoaded).toBe(true);
  expect(after.price).toBe(warm.price! + PRICE_BUMP);
  expect(after.scheduleLoaded).toBe(true);
  expect(after).toMatchObject(await probe.truth());
  return after;
}

/**
 * Step 3 when the trigger only changes places: the availability reloads with `placesFreed` more places,
 * and the schedule (with its old price) is still a hit.
 */
export async function expectOnlyAvailabilityReloaded(
  probe: SearchProbe,
  warm: Read,
  placesFreed: number,
): Promise<Read> {
  const after = await probe.read();
  expect(after.remaining).toBe(warm.remaining! + CAPACITY_BUMP + placesFreed);
  expect(after.availabilityLoaded).toBe(true);
  expect(after.price).toBe(warm.price);
  expect(after.scheduleLoaded).toBe(false);
  return after;
}

/** The route's default adult deck fare, changed straight in Postgres. */
export async function raiseFareBehindTheCache(db: Db, sailingId: number, by: number) {
  const changed = await db
    .update(fares)
    .set({ amount: sql`${fares.amount} + ${by}` })
    .where(
      and(
        sql`${fares.routeId} = (select route_id from sailings where id = ${sailingId})`,
        isNull(fares.sailingId),
        eq(fares.kind, "PASSENGER"),
        eq(fares.accommodation, "DECK"),
        eq(fares.passengerType, "adult"),
      ),
    )
    .returning({ id: fares.id });
  if (changed.length !== 1) throw new Error(`expected one default deck fare for sailing ${sailingId}`);
}

/** A resource's capacity, changed straight in Postgres. */
export async function addCapacityBehindTheCache(db: Db, sailingId: number, resource: "DECK", by: number) {
  await db
    .update(inventory)
    .set({ capacity: sql`${inventory.capacity} + ${by}` })
    .where(and(eq(inventory.sailingId, sailingId), eq(inventory.resource, resource)));
}
