import type postgres from "postgres";
import { resendRequests, stripeEvents } from "../../tests/support/emulators";
import { pollUntil, sleep } from "../../tests/support/poll";
import { appProcesses, coreMsBetween, snapshot } from "./cpu";

/**
 * Waits until a bench stack is drained and idle, so one phase's leftovers (jobs, webhook deliveries,
 * emails, Resend's rate window, a busy app) never land in the next phase's figures:
 * - no graphile-worker job due within the next 2 minutes that can still run, and no locked job;
 * - no email in the outbox still QUEUED;
 * - no Stripe event whose webhook delivery is still queued, being sent or waiting for a retry;
 * - no Resend API request in the last 1.1 s (the emulator's rate limit is a sliding 1 s window);
 * - the app's process tree below 10 % of one core over half a second.
 * Throws with what is still busy when the deadline passes: a busy stack makes figures meaningless.
 */
export async function waitIdle(stack: {
  sql: postgres.Sql;
  /** The app's port; omitted when there is no app process (the email benchmark). */
  appPort?: number;
  stripeUrl?: string;
  resendUrl?: string;
  timeoutMs?: number;
}): Promise<{ waitedMs: number }> {
  const { ms } = await pollUntil(
    () => whatIsBusy(stack),
    (busy) => Object.keys(busy).length === 0,
    { what: "the stack to be drained and idle", timeoutMs: stack.timeoutMs ?? 180_000, intervalMs: 250 },
  );
  return { waitedMs: ms };
}

async function whatIsBusy(stack: {
  sql: postgres.Sql;
  appPort?: number;
  stripeUrl?: string;
  resendUrl?: string;
}): Promise<Record<string, unknown>> {
  const busy: Record<string, unknown> = {};
  const [jobs] = await stack.sql<{ due: number; locked: number }[]>`
    select count(*) filter (where run_at < now() + interval '2 minutes' and attempts < max_attempts)::int as due,
           count(*) filter (where locked_at is not null)::int as locked
    from graphile_worker.jobs`;
  if (jobs && (jobs.due > 0 || jobs.locked > 0)) busy.jobs = jobs;
  const [queued] = await stack.sql<{ n: number }[]>`
    select count(*)::int as n from email_outbox where status = 'QUEUED'`;
  if (queued && queued.n > 0) busy.queuedEmails = queued.n;
  if (stack.stripeUrl) {
    const events = await stripeEvents(stack.stripeUrl);
    const pending = events.filter((e) => !["delivered", "failed"].includes(e.delivery.status)).length;
    if (pending > 0) busy.webhookDeliveries = pending;
  }
  if (stack.resendUrl) {
    const requests = await resendRequests(stack.resendUrl);
    const last = requests.at(-1)?.time ?? 0;
    if (Date.now() - last < 1_100) busy.resendWindow = `${Date.now() - last} ms since the last request`;
  }
  if (stack.appPort) {
    const pids = appProcesses(stack.appPort);
    const before = snapshot(pids);
    await sleep(500); // the measurement window, not synchronisation
    const used = coreMsBetween(before, snapshot(pids));
    if (used !== null && used > 50) busy.appCpu = `${used} core-ms in 500 ms`;
  }
  return busy;
}
