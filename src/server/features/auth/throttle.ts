import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { loginThrottles } from "@/server/db/schema/admin";

/**
 * Growing delays per (account, client address) instead of an account lock. A lock that refuses the right
 * password lets any stranger shut the admin out with five wrong guesses; a delay that only the failing
 * client feels costs a guesser more with every failure and costs the admin nothing from another place.
 */
export const THROTTLE_POLICY = {
  /** Failures (from one client on one account) allowed before any delay: room for typos. */
  freeFailures: 3,
  /** The delay after `freeFailures` failures; it doubles with each further failure … */
  baseDelaySeconds: 1,
  /** … up to this cap (15 minutes): about four guesses an hour from one address, once at the cap. */
  maxDelaySeconds: 900,
  /** A client that stayed quiet this long starts again from zero (its row is pruned). */
  forgetAfterSeconds: 24 * 3600,
} as const;

/** The wait before the next attempt after `failures` consecutive failures. */
export function throttleDelaySeconds(failures: number): number {
  const over = failures - THROTTLE_POLICY.freeFailures;
  if (over < 0) return 0;
  return Math.min(
    THROTTLE_POLICY.baseDelaySeconds * 2 ** Math.min(over, 30),
    THROTTLE_POLICY.maxDelaySeconds,
  );
}

export interface ThrottleKeys {
  accountKey: string;
  clientKey: string;
}

/** A timestamp parameter for raw SQL (drizzle passes Dates through untouched there). */
function ts(d: Date) {
  return sql`${d.toISOString()}::timestamptz`;
}

function hashed(kind: string, value: string): string {
  // No email or address is stored in clear; keyed on what was typed, so unknown emails behave like real ones.
  return `${kind}:${createHash("sha256").update(value).digest("hex").slice(0, 32)}`;
}

export function accountKey(normalisedEmail: string): string {
  return hashed("account", normalisedEmail);
}

export function throttleKeys(normalisedEmail: string, ip: string): ThrottleKeys {
  return { accountKey: accountKey(normalisedEmail), clientKey: hashed("client", ip) };
}

export type AttemptSlot = { allowed: true; failures: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Claims the right to one attempt, counting it as a failure up front (a success clears it). One atomic
 * upsert, so a burst of parallel guesses cannot all slip through before the first failure is written:
 * each gets its own count, and any that arrive while the client is blocked get nothing.
 */
export async function reserveAttempt(db: DbOrTx, keys: ThrottleKeys, now: Date): Promise<AttemptSlot> {
  const forgetBefore = new Date(now.getTime() - THROTTLE_POLICY.forgetAfterSeconds * 1000);
  const { freeFailures, baseDelaySeconds, maxDelaySeconds } = THROTTLE_POLICY;
  const n = sql`(case when ${loginThrottles.lastFailureAt} < ${ts(forgetBefore)} then 1 else ${loginThrottles.failures} + 1 end)`;
  const delay = (count: ReturnType<typeof sql>) =>
    sql`make_interval(secs => case when ${count} < ${freeFailures} then 0
      else least(${baseDelaySeconds} * power(2, least(${count} - ${freeFailures}, 30)), ${maxDelaySeconds}) end)`;
  const nowTs = ts(now);
  const rows = await db.execute<{ failures: number }>(sql`
    insert into login_throttles (account_key, client_key, failures, blocked_until, last_failure_at)
    values (${keys.accountKey}, ${keys.clientKey}, 1, ${nowTs} + ${delay(sql`1`)}, ${nowTs})
    on conflict (account_key, client_key) do update set
      failures = ${n},
      blocked_until = ${nowTs} + ${delay(n)},
      last_failure_at = ${nowTs}
    where login_throttles.blocked_until <= ${nowTs}
    returning failures`);
  const claimed = rows[0];
  if (claimed) return { allowed: true, failures: Number(claimed.failures) };
  const [row] = await db
    .select({ blockedUntil: loginThrottles.blockedUntil })
    .from(loginThrottles)
    .where(and(eq(loginThrottles.accountKey, keys.accountKey), eq(loginThrottles.clientKey, keys.clientKey)));
  const waitMs = (row?.blockedUntil.getTime() ?? now.getTime()) - now.getTime();
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** A successful sign-in wipes that client's slate for that account (and only that client's). */
export async function clearAttempts(db: DbOrTx, keys: ThrottleKeys): Promise<void> {
  await db
    .delete(loginThrottles)
    .where(and(eq(loginThrottles.accountKey, keys.accountKey), eq(loginThrottles.clientKey, keys.clientKey)));
}

/** Unlock: every client's delay on this account ends now. Returns how many clients were throttled. */
export async function clearAccount(db: DbOrTx, key: string): Promise<number> {
  const rows = await db
    .delete(loginThrottles)
    .where(eq(loginThrottles.accountKey, key))
    .returning({ c: loginThrottles.clientKey });
  return rows.length;
}

export interface ThrottleState {
  /** Clients with failures on record (since their last success, within the forget window). */
  failingClients: number;
  /** Clients that must wait before their next attempt. */
  blockedClients: number;
  /** When the last of them may try again; null when none is blocked. */
  blockedUntil: Date | null;
  failures: number;
}

/** The throttle state of several accounts at once, for the admins list. */
export async function throttleStates(
  db: DbOrTx,
  keys: string[],
  now: Date,
): Promise<Map<string, ThrottleState>> {
  const out = new Map<string, ThrottleState>();
  if (keys.length === 0) return out;
  const forgetBefore = new Date(now.getTime() - THROTTLE_POLICY.forgetAfterSeconds * 1000);
  const rows = await db
    .select({
      accountKey: loginThrottles.accountKey,
      failingClients: sql<number>`count(*)::int`,
      blockedClients: sql<number>`(count(*) filter (where ${loginThrottles.blockedUntil} > ${ts(now)}))::int`,
      blockedUntil: sql<
        string | null
      >`max(${loginThrottles.blockedUntil}) filter (where ${loginThrottles.blockedUntil} > ${ts(now)})`,
      failures: sql<number>`sum(${loginThrottles.failures})::int`,
    })
    .from(loginThrottles)
    .where(
      and(
        inArray(loginThrottles.accountKey, keys),
        sql`${loginThrottles.lastFailureAt} >= ${ts(forgetBefore)}`,
      ),
    )
    .groupBy(loginThrottles.accountKey);
  for (const r of rows) {
    out.set(r.accountKey, {
      failingClients: r.failingClients,
      blockedClients: r.blockedClients,
      blockedUntil: r.blockedUntil ? new Date(r.blockedUntil) : null,
      failures: r.failures,
    });
  }
  return out;
}

/** Rows of clients that went quiet are useless; pruned a few at a time on the failure path. */
export async function pruneThrottles(db: DbOrTx, now: Date): Promise<void> {
  const forgetBefore = new Date(now.getTime() - THROTTLE_POLICY.forgetAfterSeconds * 1000);
  await db.execute(sql`
    delete from login_throttles where ctid in (
      select ctid from login_throttles where last_failure_at < ${ts(forgetBefore)} limit 100)`);
}
