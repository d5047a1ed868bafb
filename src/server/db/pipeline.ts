/** A query not started yet: a drizzle builder or `db.execute(sql)`. */
interface Startable<T> {
  execute(): Promise<T>;
}

type ResultOf<S> = S extends Startable<infer R> ? R : null;
type Results<T extends readonly (Startable<unknown> | null)[]> = { [K in keyof T]: ResultOf<T[K]> };

/**
 * Sends statements of one transaction together, to run one after another in the order given.
 *
 * Each is started here, synchronously and in order: postgres.js queues them on the transaction's
 * connection in that order and writes them in one go, and PostgreSQL runs them in order, each with its own
 * snapshot (READ COMMITTED), taken when the one before has finished (a lock it waited for included). So a
 * statement that must see what an earlier one locked may follow it here: one round trip instead of one
 * each. Awaiting a builder inside `Promise.all` would not do: a thenable is started a microtask later than
 * a promise, so the order would depend on how each query is written. A statement that fails fails those
 * after it (the transaction is aborted); the first failure is what this rejects with. `null` is skipped.
 * tests/booking/fair-use.test.ts and fare-race.test.ts fail when `createBooking`'s statements run out of
 * order (counts before their locks, fares before the route lock).
 */
export function inOrder<const T extends readonly (Startable<unknown> | null)[]>(
  ...statements: T
): Promise<Results<T>> {
  return Promise.all(statements.map((s) => (s ? s.execute() : null))) as Promise<Results<T>>;
}
