import type { Db, Tx } from "@/server/db/client";

/**
 * Lets an admin mutation run a feature that opens its own transaction (`cancelBooking`, `resendEmail`)
 * inside the admin's transaction, so the change and its audit row commit together. Drizzle runs a nested
 * `transaction()` on a transaction as a SAVEPOINT, and those features use nothing a transaction lacks
 * (only `$client`, which they never touch, is missing from the type).
 *
 * TODO(booking/email owners): accept `DbOrTx` in `cancelBooking` and `resendEmail` and drop this cast.
 */
export function asDb(tx: Tx): Db {
  return tx as unknown as Db;
}
