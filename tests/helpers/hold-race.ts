import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { bookingHolds, bookings } from "@/server/db/schema/bookings";
import type { Resource } from "@/server/db/schema/resources";
import { inventory } from "@/server/db/schema/sailings";
import type { TestDb } from "./db";
import { pollUntil } from "./poll";

/**
 * The race harness for "never sell a place twice": N contenders try to hold places on one sailing
 * resource at the same time, and the oversell detector counts what the BOOKINGS say was taken, not the
 * inventory counters (whose CHECK constraint could hide a bug by refusing the write, or be missing).
 *
 * The interleaving is forced, not hoped for: another connection locks the inventory row before the
 * contenders start and lets go only once at least `minBlocked` of them wait on that lock, so they all
 * decide from the same moment. Run against the real hold it must grant exactly the free places; run
 * against a deliberately naive hold (read, then write) it must report an oversell — the control that shows
 * the harness can see one.
 */
export interface HoldRaceOptions<T> {
  t: TestDb;
  sailingId: number;
  resource: Resource;
  /** Free places when the race starts: the row is reset to capacity = places, held = sold = 0. */
  places: number;
  contenders: number;
  /** Contenders that must be waiting on the locked row before it is released. */
  minBlocked: number;
  hold: (i: number) => Promise<T>;
  /** A refusal the contender is allowed to get (sold out); anything else counts as an error. */
  isRefusal: (e: unknown) => boolean;
}

export interface HoldRaceResult {
  granted: number;
  refused: number;
  errors: unknown[];
  /** How many contenders were waiting on the row at once when it was released. */
  blockedAtRelease: number;
  capacity: number;
  /** Σ quantity held by PENDING_PAYMENT and CONFIRMED bookings on the resource, from booking_holds. */
  takenByBookings: number;
  /** Places taken beyond capacity (0 when nothing was oversold). */
  oversold: number;
}

export async function runHoldRace<T>(o: HoldRaceOptions<T>): Promise<HoldRaceResult> {
  const where = and(eq(inventory.sailingId, o.sailingId), eq(inventory.resource, o.resource));
  if ((await takenByBookings(o.t, o.sailingId, o.resource)) !== 0) {
    throw new Error(`sailing ${o.sailingId} already has bookings on ${o.resource}: pick a fresh one`);
  }
  await o.t.db.update(inventory).set({ capacity: o.places, held: 0, sold: 0 }).where(where);

  // Own connections: the contenders may occupy every connection of the pool while they wait.
  const locker = postgres(o.t.url, { max: 1, onnotice: () => {} });
  const observer = postgres(o.t.url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const locked = new Promise<void>((ready, fail) => {
    locker
      .begin(async (tx) => {
        await tx`select 1 from inventory where sailing_id = ${o.sailingId} and resource = ${o.resource} for update`;
        ready();
        await released;
      })
      .catch(fail);
  });
  try {
    await locked;
    const settled = Promise.allSettled(Array.from({ length: o.contenders }, (_, i) => o.hold(i)));
    const blocked = await pollUntil(
      async () => {
        // Waiters queue behind each other on one row, so count every lock wait in this (private) database.
        const [r] = await observer<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`;
        return r?.n ?? 0;
      },
      (n) => n >= o.minBlocked,
      {
        what: `${o.minBlocked} contenders waiting on the locked inventory row`,
        timeoutMs: 30_000,
        intervalMs: 20,
      },
    );
    release();
    const results = await settled;
    const capacity = (await o.t.db.select({ c: inventory.capacity }).from(inventory).where(where))[0]!.c;
    const taken = await takenByBookings(o.t, o.sailingId, o.resource);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    return {
      granted: results.length - rejected.length,
      refused: rejected.filter((r) => o.isRefusal(r.reason)).length,
      errors: rejected.filter((r) => !o.isRefusal(r.reason)).map((r) => r.reason),
      blockedAtRelease: blocked.value,
      capacity,
      takenByBookings: taken,
      oversold: Math.max(0, taken - capacity),
    };
  } finally {
    release();
    await Promise.all([locker.end(), observer.end()]);
  }
}

async function takenByBookings(t: TestDb, sailingId: number, resource: Resource): Promise<number> {
  const [row] = await t.db
    .select({ n: sql<number>`coalesce(sum(${bookingHolds.quantity}), 0)::int` })
    .from(bookingHolds)
    .innerJoin(bookings, eq(bookings.id, bookingHolds.bookingId))
    .where(
      and(
        eq(bookingHolds.sailingId, sailingId),
        eq(bookingHolds.resource, resource),
        sql`${bookings.status} in ('PENDING_PAYMENT', 'CONFIRMED')`,
      ),
    );
  return row?.n ?? 0;
}
