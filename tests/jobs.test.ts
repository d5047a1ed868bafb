import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue } from "@/server/lib/jobs";
import { startWorker, type WorkerHandle } from "../worker/runner";
import { createTestDb, type TestDb } from "./helpers/db";
import { pollUntil } from "./helpers/poll";
import { testServices } from "./helpers/services";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.destroy());

async function jobCount(task: string): Promise<number> {
  const rows = await t.db.execute<{ n: number }>(
    sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = ${task}`,
  );
  return rows[0]!.n;
}

describe("enqueue", () => {
  it("adds no job when the caller's transaction rolls back", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await enqueue(tx, "noop", { note: "rolled back" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await jobCount("noop")).toBe(0);
  });

  it("adds the job when the transaction commits, with its key and run time", async () => {
    const runAt = new Date(Date.now() + 3600_000);
    await t.db.transaction(async (tx) => {
      await enqueue(tx, "noop", { note: "kept" }, { jobKey: "k1", runAt });
    });
    const rows = await t.db.execute<{ key: string; run_at: Date; payload: unknown }>(
      sql`select j.key, j.run_at, p.payload from graphile_worker.jobs j
          join graphile_worker._private_jobs p using (id) where j.task_identifier = 'noop'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key).toBe("k1");
    expect(new Date(rows[0]!.run_at).getTime()).toBe(runAt.getTime());
    expect(rows[0]!.payload).toEqual({ note: "kept" });
    // Same key replaces instead of duplicating.
    await enqueue(t.db, "noop", { note: "replaced" }, { jobKey: "k1", runAt });
    expect(await jobCount("noop")).toBe(1);
    await t.db.execute(sql`select graphile_worker.remove_job('k1')`);
  });

  it("refuses a payload that does not match the task's schema", async () => {
    await expect(enqueue(t.db, "send_email", { outboxId: "not-a-uuid" })).rejects.toThrow();
  });

  it("is consumed by the worker", async () => {
    let worker: WorkerHandle | undefined;
    try {
      worker = await startWorker({
        connectionString: t.url,
        concurrency: 2,
        cron: false,
        pollInterval: 200,
        svc: testServices({ db: t.db }),
      });
      await enqueue(t.db, "noop", { note: "run me" });
      await pollUntil(
        () => jobCount("noop"),
        (n) => n === 0,
        {
          what: "the worker to run (and so delete) the noop job",
          timeoutMs: 10_000,
        },
      );
      const beats = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from worker_heartbeats`);
      expect(beats[0]!.n).toBe(1);
    } finally {
      await worker?.stop();
    }
  });
});
