import type postgres from "postgres";
import { until } from "../support/poll";
import type { TestDb } from "./db";

// The waits moved to tests/support/poll.ts; re-exported so existing imports keep working.
export { until, waitForLockWait } from "../support/poll";

let nextKey = 7_000_000;

/**
 * A gate inside the database: a trigger makes the row changes matching `when` wait on an advisory lock the
 * test holds, so a transaction stops at that statement, keeping every lock it took before, until the test
 * opens the gate. Used to force one exact interleaving of two transactions.
 */
export interface Gate {
  /** Blocks matching statements from now on (the test's own connection holds the lock). */
  close(): Promise<void>;
  /** Waits until a transaction is stopped at the gate. */
  waitUntilHeld(): Promise<void>;
  /** Lets the stopped transaction (and any later one) through. */
  open(): Promise<void>;
  /** Drops the trigger; opens the gate first if needed. */
  remove(): Promise<void>;
}

export async function installGate(
  t: TestDb,
  opts: { table: string; event: "INSERT" | "UPDATE"; when: string },
): Promise<Gate> {
  const key = nextKey++;
  const name = `test_gate_${key}`;
  await t.sql.unsafe(`
    create function ${name}() returns trigger language plpgsql as $$
    begin perform pg_advisory_xact_lock_shared(${key}); return new; end $$;
    create trigger ${name} before ${opts.event} on ${opts.table}
      for each row when (${opts.when}) execute function ${name}();`);
  const holder = await t.sql.reserve();
  let closed = false;
  const gate: Gate = {
    async close() {
      await holder`select pg_advisory_lock(${key})`;
      closed = true;
    },
    async waitUntilHeld() {
      await until(`a transaction to stop at ${name}`, async () => {
        const rows = await t.sql<{ n: number }[]>`
          select count(*)::int as n from pg_locks
          where locktype = 'advisory' and not granted and objid = ${key}`;
        return rows[0]!.n > 0;
      });
    },
    async open() {
      if (!closed) return;
      await holder`select pg_advisory_unlock(${key})`;
      closed = false;
    },
    async remove() {
      await gate.open();
      holder.release();
      await t.sql.unsafe(
        `drop trigger if exists ${name} on ${opts.table}; drop function if exists ${name}();`,
      );
    },
  };
  return gate;
}

/** A gate on the update that moves booking `bookingId` to `status` (that transaction holds the row lock). */
export function gateBookingStatus(t: TestDb, bookingId: string, status: string): Promise<Gate> {
  return installGate(t, {
    table: "bookings",
    event: "UPDATE",
    when: `NEW.id = '${bookingId}' AND NEW.status = '${status}'`,
  });
}

/**
 * Another transaction that takes row locks (`lock`) and keeps them until `release()`, which runs
 * `beforeCommit` (an admin's change, say) and commits: the test's own statements meanwhile wait for those
 * rows, or find them taken.
 */
export async function holdRowLocks(
  t: TestDb,
  lock: (tx: postgres.TransactionSql) => Promise<unknown>,
  beforeCommit?: (tx: postgres.TransactionSql) => Promise<unknown>,
): Promise<{ release(): Promise<void> }> {
  let mayEnd!: () => void;
  const ended = new Promise<void>((r) => {
    mayEnd = r;
  });
  let locked!: () => void;
  const holding = new Promise<void>((r) => {
    locked = r;
  });
  const done = t.sql.begin(async (tx) => {
    await lock(tx);
    locked();
    await ended;
    if (beforeCommit) await beforeCommit(tx);
  });
  await Promise.race([holding, done]);
  return {
    async release() {
      mayEnd();
      await done;
    },
  };
}
