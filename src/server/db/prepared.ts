import type postgres from "postgres";

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * The postgres.js client that drizzle is given: every statement with parameters is sent as a named
 * prepared statement, as postgres.js does for its own tagged queries.
 *
 * drizzle asks for an unnamed statement unless a query is given a name (`.prepare("x")`), and postgres.js
 * sends an unnamed statement with parameters in two round trips: Parse and Describe first, to learn the
 * parameters' types, then Bind and Execute once the answer is back. So every query cost two round trips,
 * and statements that `inOrder` meant to send together went one at a time, each waiting for the last. A
 * named statement is described once per connection; after that a query is one Bind and Execute, and a
 * pipeline is one write. PostgreSQL also keeps the parsed statement instead of parsing it every time.
 *
 * The cost: each connection keeps one prepared statement per distinct SQL text it has run (drizzle puts
 * values in parameters, so the texts are the code's shapes: a list of n values is one shape per n), freed
 * when the connection closes (idle_timeout in client.ts). Transactions and savepoints get a client that
 * does the same. tests/db/prepared.test.ts fails if a query goes out unnamed.
 */
export function preparing<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
          target.unsafe(
            query,
            params as postgres.ParameterOrJSON<never>[],
            params?.length ? { ...options, prepare: true } : options,
          );
      }
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          const method = Reflect.get(target, prop, target) as (...a: unknown[]) => unknown;
          return method.call(target, ...args, (tx: postgres.TransactionSql) => fn(preparing(tx)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
