import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import type { Locale } from "@/server/db/schema/bookings";
import type { Client } from "@/server/features/security/client-address";
import { consumeRateLimit, type RateLimit, rateLimited } from "@/server/features/security/rate-limit";
import { hashSubject } from "@/server/features/security/subject-hash";
import type { BookingLimits, Services } from "@/server/services";

/**
 * Fair use of inventory: every `booking.create` holds places for the hold time, so one script could
 * otherwise hold a whole sailing without paying. Three limits, each one a family never meets:
 *
 * - creates per client address: 10 per 10 minutes (a family tries a few times, a script hundreds);
 * - unpaid bookings per contact email: 3 (pay one, or let its hold end, before starting a fourth);
 * - unpaid places one client address holds on one sailing: 20, i.e. two full parties of the largest size
 *   sold online (9) with room to spare, while a sailing carries hundreds; a larger group is a group
 *   booking with the operator.
 *
 * The two "unpaid" counts are decided inside the booking's transaction under advisory locks on the
 * subject, so concurrent creates take turns: two cannot both see room for one more. The numbers are
 * `svc.limits` (from the environment, see `configuredBookingLimits` in src/server/services.ts).
 */
export const CREATE_WINDOW_SECONDS = 600;

function createRule(limits: BookingLimits): RateLimit {
  return {
    name: "booking.create",
    limit: limits.createsPerClient,
    windowSeconds: CREATE_WINDOW_SECONDS,
    kind: "BOOKINGS",
  };
}

/**
 * Counted before any work, outside the transaction, so refused attempts cost one upsert. `client` is
 * absent for server-side callers, which the per-client limits skip.
 */
export async function countCreateAttempt(
  svc: Services,
  client: Client | undefined,
  a: { now: Date; locale: Locale },
): Promise<void> {
  if (client === undefined) return;
  await consumeRateLimit(svc.db, createRule(svc.limits), client.ip, a.now, a.locale);
}

/** What `unpaidLimitStatements` and `checkUnpaid` check for a booking taking `needs`. */
export function unpaidCheck(
  svc: Services,
  client: Client | undefined,
  a: {
    email: string;
    locale: Locale;
    now: Date;
    needs: { sailingId: number; resource: string; quantity: number }[];
  },
): UnpaidCheck {
  const places = new Map<number, number>();
  for (const n of a.needs) if (n.resource === "PASSENGER") places.set(n.sailingId, n.quantity);
  return {
    email: a.email,
    clientKey: client === undefined ? null : hashSubject(client.ip),
    places,
    limits: svc.limits,
    now: a.now,
    locale: a.locale,
  };
}

/** A 64-bit advisory lock key per subject; collisions only make two subjects take turns. */
function lockKey(subject: string): string {
  return createHash("sha256")
    .update(`traverse/booking-limit/${subject}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/** The lock every create for this contact email takes first (tests hold it to force an interleaving). */
export function emailLockKey(email: string): string {
  return lockKey(`email:${hashSubject(email)}`);
}

export interface UnpaidCheck {
  email: string;
  /** `hashSubject(client address)`, or null for server-side callers (no per-client count). */
  clientKey: string | null;
  /** Passenger places the new booking takes, per sailing. */
  places: Map<number, number>;
  limits: BookingLimits;
  now: Date;
  locale: Locale;
}

/**
 * The two statements of the "unpaid" limits, not started, for `inOrder` (src/server/db/pipeline.ts) inside
 * the booking's transaction, before its rows are written; pass the counts' rows to `checkUnpaid`. Every
 * lock in the first (PostgreSQL evaluates a select list left to right), in one global order (the email,
 * then each sailing by id) so two creates never wait on each other in a cycle; the counts in the second,
 * whose snapshot is taken once the locks are held, so it sees the booking of whoever held them before.
 * The locks are released at commit, when the new booking is visible to the next one in line. The counts'
 * row with no sailing is the email's.
 */
export function unpaidLimitStatements(tx: DbOrTx, c: UnpaidCheck) {
  const now = c.now.toISOString();
  const sailingIds = countedSailings(c);
  const keys = [
    emailLockKey(c.email),
    ...sailingIds.map((id) => lockKey(`client-sailing:${c.clientKey}:${id}`)),
  ];
  const locks = tx.execute(
    sql`select ${sql.join(
      keys.map((k) => sql`pg_advisory_xact_lock(${k}::bigint)`),
      sql`, `,
    )}`,
  );
  const counts = tx.execute<UnpaidCount>(sql`
    select null::int as sailing_id, count(*)::int as n,
      extract(epoch from min(hold_expires_at))::float8 as first_end
    from bookings
    where contact_email = ${c.email} and status = 'PENDING_PAYMENT' and hold_expires_at > ${now}
    ${
      sailingIds.length === 0
        ? sql``
        : sql`union all
    select h.sailing_id, sum(h.quantity)::int, extract(epoch from min(b.hold_expires_at))::float8
    from booking_holds h join bookings b on b.id = h.booking_id
    where b.client_key = ${c.clientKey} and b.status = 'PENDING_PAYMENT' and b.hold_expires_at > ${now}
      and h.resource = 'PASSENGER'
      and h.sailing_id in (${sql.join(
        sailingIds.map((id) => sql`${id}`),
        sql`, `,
      )})
    group by h.sailing_id`
    }`);
  return [locks, counts] as const;
}

/**
 * The sailings whose places this client holds are counted, in id order. None for server-side callers, and
 * none for a connected operator's sailing: its places are held at the operator, not counted here.
 */
function countedSailings(c: UnpaidCheck): number[] {
  return c.clientKey ? [...c.places.keys()].sort((a, b) => a - b) : [];
}

type UnpaidCount = { sailing_id: number | null; n: number; first_end: number | null };

/** Throws the 429 of the first limit the counts of `unpaidLimitStatements` show is reached. */
export function checkUnpaid(rows: readonly UnpaidCount[], c: UnpaidCheck): void {
  const sailingIds = countedSailings(c);
  const unpaid = rows.find((r) => r.sailing_id === null);
  if ((unpaid?.n ?? 0) >= c.limits.unpaidPerEmail) {
    throw rateLimited("UNPAID", {
      retryAfterSeconds: secondsUntil(unpaid?.first_end, c.now),
      max: c.limits.unpaidPerEmail,
      locale: c.locale,
    });
  }
  const held = new Map(rows.filter((r) => r.sailing_id !== null).map((r) => [Number(r.sailing_id), r]));
  for (const id of sailingIds) {
    const wanted = c.places.get(id) ?? 0;
    const h = held.get(id);
    if ((h?.n ?? 0) + wanted > c.limits.heldPlacesPerClient) {
      throw rateLimited("PLACES", {
        // Nothing held yet means this party alone is over the cap: no hold ending will help soon.
        retryAfterSeconds: h ? secondsUntil(h.first_end, c.now) : CREATE_WINDOW_SECONDS,
        max: c.limits.heldPlacesPerClient,
        locale: c.locale,
      });
    }
  }
}

/** Until the first of the counted holds ends (epoch seconds from Postgres). */
function secondsUntil(endEpoch: number | null | undefined, now: Date): number {
  if (endEpoch === null || endEpoch === undefined) return 60;
  return Math.max(1, Number(endEpoch) - now.getTime() / 1000);
}
