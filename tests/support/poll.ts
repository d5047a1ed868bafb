import type postgres from "postgres";

/**
 * The one way tests, fault scenarios, benchmarks and stack starters wait for something: poll with a
 * deadline that THROWS, naming what was awaited and the last value seen. A wait that times out silently
 * lets the next assertion fail for the wrong reason (or, worse, pass); a fixed sleep is either too short
 * on a busy machine or wastes time on an idle one.
 */

export class PollTimeoutError extends Error {
  override name = "PollTimeoutError";
}

export interface PollOptions {
  /**
   * What is being waited for, in words: the error message when the deadline passes. A function is called
   * only then, so it can add what is known at that moment (a process's last log lines).
   */
  what: string | (() => string);
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Calls `fn` until `ok(value)` holds; returns that value and how long it took, or throws at the deadline.
 * An error thrown by `fn` ends the wait at once (a process that died will not come back by waiting).
 */
export async function pollUntil<T>(
  fn: () => T | Promise<T>,
  ok: (value: T) => boolean,
  opts: PollOptions,
): Promise<{ value: T; ms: number }> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return { value, ms: Date.now() - started };
    if (Date.now() >= deadline) {
      throw new PollTimeoutError(
        `timed out after ${timeoutMs} ms waiting for ${typeof opts.what === "function" ? opts.what() : opts.what}; ` +
          `last value seen: ${showValue(value)}`,
      );
    }
    await sleep(Math.min(opts.intervalMs ?? 50, Math.max(deadline - Date.now(), 1)));
  }
}

/** `pollUntil` for a yes/no condition. */
export async function waitUntil(check: () => boolean | Promise<boolean>, opts: PollOptions): Promise<void> {
  await pollUntil(check, (v) => v, opts);
}

/** Polls `fn` every 25 ms until it returns something truthy and returns that; throws naming `what`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const { value } = await pollUntil(fn, (v) => Boolean(v), { what, timeoutMs, intervalMs: 25 });
  return value as T;
}

/**
 * Waits until `n` backends of the database `t.sql` is connected to are blocked on a lock: `event` is
 * pg_stat_activity's wait_event (`advisory` for a gate, `transactionid` or `tuple` for a row another
 * transaction holds) and `query` a piece of the blocked statement. Throws when it does not happen: that
 * is the race not forced.
 */
export async function waitForLockWait(
  t: { sql: postgres.Sql },
  what: string,
  opts: { event?: string; query?: string; n?: number } = {},
): Promise<void> {
  await until(what, async () => {
    const rows = await t.sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'
        and (${opts.event ?? null}::text is null or wait_event = ${opts.event ?? null}::text)
        and (${opts.query ?? null}::text is null or query ilike ${`%${opts.query ?? ""}%`})`;
    return rows[0]!.n >= (opts.n ?? 1);
  });
}

/** A pause that is NOT synchronisation (pacing a load, letting an outage last): say so at the call site. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
