import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, schema } from "@/server/db/client";
import { inOrder } from "@/server/db/pipeline";
import { ports } from "@/server/db/schema/network";
import { createTestDb, type TestDb } from "../helpers/db";

/**
 * drizzle's queries go out as named prepared statements (src/server/db/prepared.ts), outside a
 * transaction, inside one and inside a savepoint: an unnamed statement with parameters costs postgres.js
 * two round trips and stops `inOrder` from sending statements together. The pool has one connection, so
 * `pg_prepared_statements` (which lists the session's own) is read on the connection that ran the query.
 */
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb({ max: 1 });
  await t.db.insert(ports).values([
    { code: "PQA", name: "Prepared One", country: "TN", timeZone: "Africa/Tunis" },
    { code: "PQB", name: "Prepared Two", country: "FR", timeZone: "Europe/Paris" },
  ]);
});
afterAll(() => t?.destroy());

async function preparedTexts(db: Pick<Db, "execute">): Promise<string[]> {
  const rows = await db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
  return rows.map((r) => r.statement);
}

const byCode = (db: Pick<Db, "select">, code: string) =>
  db.select({ name: ports.name }).from(ports).where(eq(ports.code, code));

describe("drizzle's statements are prepared", () => {
  it("outside a transaction", async () => {
    const q = byCode(t.db, "PQA");
    expect(await q).toEqual([{ name: "Prepared One" }]);
    expect(await preparedTexts(t.db)).toContain(q.toSQL().sql);
  });

  it("inside a transaction and a savepoint, with the results unchanged", async () => {
    const inner = t.db.select({ c: ports.country }).from(ports).where(eq(ports.timeZone, "Europe/Paris"));
    await t.db.transaction(async (tx) => {
      const q = tx.select({ tz: ports.timeZone }).from(ports).where(eq(ports.name, "Prepared One"));
      expect(await q).toEqual([{ tz: "Africa/Tunis" }]);
      expect(await preparedTexts(tx)).toContain(q.toSQL().sql);
      await tx
        .transaction(async (sp) => {
          const [one, two] = await inOrder(
            byCode(sp, "PQB"),
            sp.update(ports).set({ name: "Renamed" }).where(eq(ports.code, "PQB")).returning(),
          );
          expect(one).toEqual([{ name: "Prepared Two" }]);
          expect(two).toEqual([{ code: "PQB", name: "Renamed", country: "FR", timeZone: "Europe/Paris" }]);
          expect(
            await sp.select({ c: ports.country }).from(ports).where(eq(ports.timeZone, "Europe/Paris")),
          ).toEqual([{ c: "FR" }]);
          expect(await preparedTexts(sp)).toContain(inner.toSQL().sql);
          sp.rollback();
        })
        .catch((e: Error) => {
          if (!/rollback/i.test(e.message)) throw e;
        });
      expect(await byCode(tx, "PQB")).toEqual([{ name: "Prepared Two" }]);
    });
  });

  it("control: drizzle on the bare client sends them unnamed, which the checks above would catch", async () => {
    const bare = drizzle(t.sql, { schema });
    const q = bare.select({ country: ports.country }).from(ports).where(eq(ports.code, "PQB"));
    expect(await q).toEqual([{ country: "FR" }]);
    expect(await preparedTexts(t.db)).not.toContain(q.toSQL().sql);
  });
});
