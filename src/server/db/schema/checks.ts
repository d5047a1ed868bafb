import { sql } from "drizzle-orm";
import { type AnyPgColumn, check } from "drizzle-orm/pg-core";

/**
 * Text enums are only a TypeScript type in drizzle; this makes the database refuse other values too.
 * DDL cannot take bind parameters, so the (code-defined, constant) values are inlined as literals.
 */
export function oneOf(name: string, column: AnyPgColumn, values: readonly string[]) {
  for (const v of values) if (!/^[A-Za-z_]+$/.test(v)) throw new Error(`unsafe enum literal ${v}`);
  return check(name, sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(", "))})`);
}
