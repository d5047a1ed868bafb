import { sql } from "drizzle-orm";
import { jobPayloads, type TaskName } from "@/server/lib/jobs";
import { metrics } from "@/server/lib/metrics";
import type { Services } from "@/server/services";

const TASKS = Object.keys(jobPayloads) as TaskName[];

/**
 * The gauges that describe state rather than events, read when Prometheus scrapes (every 15–60 s) and
 * never on a traveller's request: two indexed counts in one round trip, and the cache breaker read from
 * memory. Jobs are read through graphile-worker's public `graphile_worker.jobs` view.
 */
export async function refreshStateGauges(svc: Services): Promise<void> {
  const m = metrics();
  // Open breaker: Redis is configured, is being skipped, and the last call to it failed.
  m.cacheBreakerOpen.set(!svc.cache.enabled && svc.cache.lastFailure !== null ? 1 : 0);
  const [holds, jobs] = await Promise.all([
    svc.db.execute<{ n: number }>(
      sql`select count(*)::int as n from bookings where status = 'PENDING_PAYMENT'`,
    ),
    // Due and waiting for a worker: jobs scheduled for later (a hold's expiry) are not a backlog.
    svc.db.execute<{ task: string; n: number }>(sql`
      select task_identifier as task, count(*)::int as n from graphile_worker.jobs
      where locked_at is null and run_at <= now() and attempts < max_attempts
      group by task_identifier`),
  ]);
  m.holdsActive.set(holds[0]?.n ?? 0);
  const pending = new Map<string, number>(TASKS.map((t) => [t, 0]));
  for (const row of jobs) {
    // Only known task names become label values; anything else is summed under "other".
    const task = pending.has(row.task) ? row.task : "other";
    pending.set(task, (pending.get(task) ?? 0) + row.n);
  }
  m.jobsPending.reset();
  for (const [task, n] of pending) m.jobsPending.set({ task }, n);
}

/** The Prometheus text of this process, gauges refreshed first. */
export async function renderMetrics(svc: Services): Promise<{ contentType: string; body: string }> {
  try {
    await refreshStateGauges(svc);
  } catch (e) {
    // The database is down: the event metrics are still worth scraping, the gauges keep their last values.
    svc.log.warn("metrics gauges not refreshed", { error: e });
  }
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
