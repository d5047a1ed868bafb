import { describe, expect, it } from "vitest";
import { payOnStripe } from "../tests/support/emulators";
import { pollUntil } from "../tests/support/poll";
import { expectInvariantsHold, pendingJobs } from "./lib/invariants";
import { record, scenarioStack, timer } from "./lib/report";
import { confirmationEmailCounts, createBookings, statuses } from "./lib/traverse";

/**
 * The worker is SIGKILLed (no drain, no cleanup) in the middle of a burst of payment
 * events and started again. The dead worker must have held locked jobs at the kill, and the new one must
 * free and complete them; every paid booking must end CONFIRMED and every confirmation email must reach
 * Resend exactly once — no lost job, no job run twice to visible effect.
 */
const SCENARIO = "worker-kill";
const BOOKINGS = 50;
/** Confirmations held back by a row lock so that the kill finds them running. */
const BLOCKED = 2;

describe("worker SIGKILLed during a burst of payments", () => {
  const stackOf = scenarioStack(SCENARIO);

  it("confirms every booking and sends each confirmation once after a restart", async () => {
    const stack = stackOf();
    const bookings = await createBookings(stack, BOOKINGS, "wk", { concurrency: 5 });
    const refs = bookings.map((b) => b.reference);
    const sessions = bookings.map((b) => b.sessionId!);
    const confirmed = async () => (await statuses(stack.sql, refs)).CONFIRMED ?? 0;

    // Forced interleaving: this connection locks the payment rows of the first BLOCKED bookings, so the
    // worker's confirmation jobs for them stay running (locked by the worker, waiting on the row lock)
    // until after the kill. Without it the kill could land between two batches with nothing locked.
    const blocker = await stack.sql.reserve();
    const [{ pid: blockerPid } = { pid: 0 }] = await blocker<
      { pid: number }[]
    >`select pg_backend_pid() as pid`;
    await blocker`begin`;
    await blocker`select id from payments where checkout_session_id in ${blocker(sessions.slice(0, BLOCKED))} for update`;
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await blocker`rollback`;
      blocker.release();
    };

    try {
      // Pay everything at once (the blocked ones first); kill the worker once it is visibly busy.
      const t = timer();
      let paid = 0;
      const paying = (async () => {
        let next = 0;
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            while (next < bookings.length) {
              const b = bookings[next++]!;
              await payOnStripe(stack.urls.stripe, b.sessionId!);
              paid++;
            }
          }),
        );
      })();
      const busy = await pollUntil(
        async () => {
          const [waiting] = await stack.sql<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and ${blockerPid}::int = any(pg_blocking_pids(pid))`;
          return { confirmed: await confirmed(), waitingOnLock: waiting?.n ?? 0 };
        },
        (v) => v.confirmed >= 5 && v.waitingOnLock >= BLOCKED,
        {
          what: () =>
            `the worker confirming payments while ${BLOCKED} of its jobs wait on the held row locks:\n${stack.logs()}`,
          timeoutMs: 30_000,
          intervalMs: 20,
        },
      );
      // The one live worker's heartbeat (npm stands between us and its node process, so its pid is not
      // the one we spawned): the most recently seen row, checked to be fresh.
      const [beat] = await stack.sql<{ lock_ids: string[] }[]>`
        select lock_ids from worker_heartbeats
        where last_seen_at > now() - interval '10 seconds'
        order by started_at desc limit 1`;
      await stack.worker.kill("SIGKILL");
      const atKill = { confirmed: await confirmed(), paid, ms: t(), waitingOnLock: busy.value.waitingOnLock };
      // What the dead worker left locked, read through graphile-worker's public view.
      const lockedAtKill = await stack.sql<{ id: string; task: string; locked_by: string }[]>`
        select id::text, task_identifier as task, locked_by from graphile_worker.jobs where locked_by is not null`;
      record(SCENARIO, "SIGKILL", { ...atKill, lockedByDeadWorker: lockedAtKill.length });
      expect(atKill.confirmed, "the kill must land in the middle of the burst").toBeLessThan(BOOKINGS);
      expect(
        lockedAtKill.filter((j) => j.task === "process_stripe_event").length,
        "the killed worker must hold locked jobs at the moment of the kill",
      ).toBeGreaterThanOrEqual(BLOCKED);
      expect(beat?.lock_ids, "the killed worker's heartbeat names the ids it locks jobs under").toBeTruthy();
      const strangers = lockedAtKill.filter((j) => !beat!.lock_ids.includes(j.locked_by));
      expect(strangers, "every locked job belongs to the killed worker").toEqual([]);
      await release();

      await paying;
      // Every payment's event is recorded (the app stays up) before the new worker starts.
      await pollUntil(
        async () => {
          const [row] = await stack.sql<{ n: number }[]>`
            select count(distinct payload->'data'->'object'->>'id')::int as n from stripe_events
            where type = 'checkout.session.completed' and payload->'data'->'object'->>'id' in ${stack.sql(sessions)}`;
          return row?.n ?? 0;
        },
        (n) => n === BOOKINGS,
        {
          what: `a stored checkout.session.completed event for each of the ${BOOKINGS} payments`,
          timeoutMs: 30_000,
        },
      );
      const restart = timer();
      await stack.start("worker");
      record(SCENARIO, "worker restarted", { ms: restart() });

      // The new worker frees the dead one's jobs (heartbeat recovery) and completes them: graphile-worker
      // deletes a job when it succeeds, so each must disappear from the queue.
      const freed = await pollUntil(
        async () => {
          const rows = await stack.sql<{ id: string; locked_by: string | null; attempts: number }[]>`
            select id::text, locked_by, attempts from graphile_worker.jobs
            where id in ${stack.sql(lockedAtKill.map((j) => j.id))}`;
          return rows;
        },
        (rows) => rows.length === 0,
        {
          what: () =>
            `the jobs locked by the killed worker to be freed and completed:\n${stack.worker.lastLines()}`,
          timeoutMs: 60_000,
          intervalMs: 500,
        },
      );
      record(SCENARIO, "dead worker's jobs completed", {
        jobs: lockedAtKill.length,
        msAfterRestart: freed.ms,
      });
    } finally {
      await release();
    }

    const done = await pollUntil(
      async () => {
        const [c, emails] = await Promise.all([confirmed(), confirmationEmailCounts(stack, refs)]);
        return { confirmed: c, emailsMissing: emails.missing.length, duplicated: emails.duplicated };
      },
      (v) => v.confirmed === BOOKINGS && v.emailsMissing === 0,
      {
        what: () =>
          `every paid booking confirmed and emailed after the restart:\n${stack.worker.lastLines()}`,
        timeoutMs: 45_000,
        intervalMs: 500,
      },
    );
    // An email the new worker is still finishing holds its job's lock for a moment: wait for the locks to go.
    const { value: left } = await pollUntil(
      () => pendingJobs(stack.sql),
      (jobs) => jobs.every((j) => j.locked_by === null),
      { what: "no job still locked after the restart", timeoutMs: 15_000, intervalMs: 200 },
    );
    record(SCENARIO, "after restart", { ...done.value, msAfterRestart: done.ms, jobsLeft: left.length });
    expect(
      left.filter((j) => j.locked_by !== null),
      "jobs still locked after the restart",
    ).toEqual([]);
    expect(await statuses(stack.sql, refs)).toEqual({ CONFIRMED: BOOKINGS });
    const emails = await confirmationEmailCounts(stack, refs);
    expect(emails.missing, "bookings whose confirmation email never reached Resend").toEqual([]);
    expect(emails.duplicated, "bookings emailed more than once").toEqual([]);
    // Resend has every email; the worker marks each SENT just after Resend answers, so wait for that.
    const { value: outbox } = await pollUntil(
      () => stack.sql<{ status: string; n: number }[]>`
        select status, count(*)::int as n from email_outbox where kind = 'booking_confirmed' group by status`,
      (rows) => rows.every((r) => r.status === "SENT"),
      { what: "every confirmation marked SENT once Resend has it", timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(Object.fromEntries(outbox.map((r) => [r.status, r.n]))).toEqual({ SENT: BOOKINGS });
    await expectInvariantsHold(stack.sql);
  });
});
