import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allInvariants, pendingJobs } from "./lib/invariants";
import { pollUntil, sleep } from "./lib/proc";
import { record, timer } from "./lib/report";
import { type FaultStack, startFaultStack } from "./lib/stack";
import { confirmationEmailCounts, createBookings, payOnStripe, statuses } from "./lib/traverse";

/**
 * Issue 8 · fault 1: the worker is SIGKILLed (no drain, no cleanup) in the middle of a burst of payment
 * events and started again. Every paid booking must end CONFIRMED and every confirmation email must reach
 * Resend exactly once — no lost job, no job run twice to visible effect.
 */
const SCENARIO = "worker-kill";
const BOOKINGS = 50;

describe("worker SIGKILLed during a burst of payments", () => {
  let stack: FaultStack;

  beforeAll(async () => {
    const t = timer();
    stack = await startFaultStack(SCENARIO);
    record(SCENARIO, "stack up", { ms: t() });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("confirms every booking and sends each confirmation once after a restart", async () => {
    const bookings = await createBookings(stack, BOOKINGS, "wk", { concurrency: 5 });
    const refs = bookings.map((b) => b.reference);
    const confirmed = async () => (await statuses(stack.sql, refs)).CONFIRMED ?? 0;

    // Pay everything at once; kill the worker as soon as the first confirmations show it is busy.
    const t = timer();
    let paid = 0;
    const paying = (async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < bookings.length) {
            const b = bookings[next++]!;
            await payOnStripe(stack, b.sessionId!);
            paid++;
          }
        }),
      );
    })();
    const busy = await pollUntil(confirmed, (n) => n >= 5, { timeoutMs: 30_000, intervalMs: 20 });
    expect(busy.ok, `the worker never started confirming:\n${stack.logs()}`).toBe(true);
    await stack.worker.kill("SIGKILL");
    const atKill = { confirmed: await confirmed(), paid, ms: t() };
    const jobsAtKill = await pendingJobs(stack.sql);
    record(SCENARIO, "SIGKILL", {
      ...atKill,
      jobsLeft: jobsAtKill.length,
      lockedByDeadWorker: jobsAtKill.filter((j) => j.locked_by).length,
    });
    expect(atKill.confirmed, "the kill must land in the middle of the burst").toBeLessThan(BOOKINGS);

    await paying;
    await sleep(1_000);
    const restart = timer();
    await stack.startWorker();
    record(SCENARIO, "worker restarted", { ms: restart() });

    const done = await pollUntil(
      async () => {
        const [c, emails] = await Promise.all([confirmed(), confirmationEmailCounts(stack, refs)]);
        return { confirmed: c, emailsMissing: emails.missing.length, duplicated: emails.duplicated };
      },
      (v) => v.confirmed === BOOKINGS && v.emailsMissing === 0,
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    const left = await pendingJobs(stack.sql);
    record(SCENARIO, "after restart", { ...done.value, msAfterRestart: done.ms, jobsLeft: left.length });

    // graphile-worker only frees jobs locked by a worker that died after 4 hours: name them if that is why.
    const stuck = left.filter((j) => j.locked_by !== null);
    expect(
      await statuses(stack.sql, refs),
      `not every paid booking was confirmed 45 s after the restart; ${stuck.length} job(s) still locked by the ` +
        `killed worker: ${JSON.stringify(stuck.slice(0, 5))}`,
    ).toEqual({ CONFIRMED: BOOKINGS });
    const emails = await confirmationEmailCounts(stack, refs);
    expect(emails.missing, "bookings whose confirmation email never reached Resend").toEqual([]);
    expect(emails.duplicated, "bookings emailed more than once").toEqual([]);
    const outbox = await stack.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from email_outbox where kind = 'booking_confirmed' group by status`;
    expect(Object.fromEntries(outbox.map((r) => [r.status, r.n]))).toEqual({ SENT: BOOKINGS });
    const inv = await allInvariants(stack.sql);
    expect(inv).toEqual({
      halfWritten: [],
      inventory: [],
      confirmedWithoutOnePayment: [],
      confirmationOutbox: [],
    });
  });
});
