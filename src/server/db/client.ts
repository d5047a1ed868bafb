import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { preparing } from "./prepared";
import * as admin from "./schema/admin";
import * as bookings from "./schema/bookings";
import * as email from "./schema/email";
import * as fares from "./schema/fares";
import * as network from "./schema/network";
import * as ops from "./schema/ops";
import * as payments from "./schema/payments";
import * as relations from "./schema/relations";
import * as sailings from "./schema/sailings";

/** Every table and the relations between them, so `db.query.<table>` reads a row with what it links to. */
export const schema = {
  ...admin,
  ...bookings,
  ...email,
  ...fares,
  ...network,
  ...ops,
  ...payments,
  ...sailings,
  ...relations,
};
export type Schema = typeof schema;

export type Db = PostgresJsDatabase<Schema>;
/** A transaction handle: features accept `Db | Tx` so callers decide the transaction boundary. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function createDb(url: string, opts: { max?: number } = {}): DbHandle {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    // Fail fast when the database is down so requests get a clear 503 instead of hanging: a short connect
    // timeout, and a reconnect delay capped at half a second (postgres.js's own grows to 20 s, and
    // queries queue behind it, which the PostgreSQL-restart fault test caught).
    connect_timeout: 5,
    backoff: (attempt: number) => Math.min(0.05 * attempt, 0.5),
    idle_timeout: 30,
    onnotice: () => {},
  });
  return { db: drizzle(preparing(sql), { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}
