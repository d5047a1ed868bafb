import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { unlockDeadWorkers } from "@/server/features/jobs/workers";
import { enqueue } from "@/server/lib/jobs";
import { startWorker } from "../worker/runner";
import { pollUntil } from "./helpers/poll";
import { testDbForFile } from "./helpers/per-file";

const { t, svc } = testDbForFile();

describe("dead worker recovery", () => {
  it("a running worker publishes the ids it locks jobs under", async () => {
    const w = await startWorker({
      connectionString: t.url,
      concurrency: 2,
      cron: false,
      svc,
    });
    try {
      const { value: ids } = await pollUntil(
        async () => {
          const rows = await t.db.execute<{ lock_ids: string[] }>(
            sql`select lock_ids from worker_heartbeats`,
          );
          return rows[0]?.lock_ids ?? [];
        },
        (found) => found.length > 0,
        { what: "the worker's first heartbeat with its lock ids", timeoutMs: 5_000, intervalMs: 20 },
      );
      // The pool (which locks jobs for its local queue) and each of its two workers.
      expect(ids.length).toBe(3);
      await enqueue(t.db, "noop", { note: "seen" });
    } finally {
      await w.stop();
    }
  });

  it("frees jobs locked by a worker whose heartbeat stopped, and leaves a live worker's alone", async () => {
    await enqueue(t.db, "noop", { note: "dead" }, { jobKey: "dead-job" });
    await enqueue(t.db, "noop", { note: "alive" }, { jobKey: "alive-job" });
    await t.db.execute(sql`
      update graphile_worker._private_jobs set locked_by = 'pool-dead', locked_at = now() where key = 'dead-job';
      update graphile_worker._private_jobs set locked_by = 'pool-alive', locked_at = now() where key = 'alive-job';
      insert into worker_heartbeats (worker_id, last_seen_at, lock_ids) values
        ('dead', now() - interval '40 seconds', '{pool-dead}'),
        ('alive', now(), '{pool-alive}');`);
    expect(await unlockDeadWorkers(svc)).toBe(1);
    const rows = await t.db.execute<{ key: string; locked_by: string | null }>(
      sql`select key, locked_by from graphile_worker.jobs where key in ('alive-job', 'dead-job') order by key`,
    );
    expect(rows.map((r) => [r.key, r.locked_by])).toEqual([
      ["alive-job", "pool-alive"],
      ["dead-job", null],
    ]);
  });
});
