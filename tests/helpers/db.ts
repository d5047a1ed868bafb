import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { createDb, type DbHandle } from "@/server/db/client";
import { withDatabase } from "./test-database-server";

export interface TestDb extends DbHandle {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database of this test file's own, cloned from the template in a few ms. */
export async function createTestDb(opts: { max?: number } = {}): Promise<TestDb> {
  const { adminUrl, template, runId } = inject("testDatabase");
  const name = `traverse_t_${runId}_${randomBytes(5).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // Two files cloning the template at the same instant make Postgres refuse one ("being accessed by
    // other users"); a short retry is all it takes.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template ${template}`);
        break;
      } catch (e) {
        if ((e as { code?: string }).code !== "55006" || attempt > 50) throw e;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const handle = createDb(url, { max: opts.max ?? 10 });
  return {
    ...handle,
    url,
    name,
    async destroy() {
      await handle.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
