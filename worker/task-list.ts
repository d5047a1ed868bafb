import type { TaskList } from "graphile-worker";
import type { Services } from "@/server/services";
import type { TaskDefinition } from "./define-task";
import { confirmOperatorBookingTask } from "./tasks/confirm-operator-booking";
import { createRefundTask } from "./tasks/create-refund";
import { expireCheckoutSessionTask } from "./tasks/expire-checkout-session";
import { expireHoldTask } from "./tasks/expire-hold";
import { expireHoldsSweepTask } from "./tasks/expire-holds-sweep";
import { noop } from "./tasks/noop";
import { operatorSailingCancelledTask } from "./tasks/operator-sailing-cancelled";
import { processStripeEventTask } from "./tasks/process-stripe-event";
import { releaseOperatorHoldTask } from "./tasks/release-operator-hold";
import { sendDepartureReminders } from "./tasks/send-departure-reminders";
import { sendEmail } from "./tasks/send-email";
import { sendEmailBatch } from "./tasks/send-email-batch";
import { syncOperatorChangesTask } from "./tasks/sync-operator-changes";

/** Every task the worker runs; names are those of `src/server/lib/jobs.ts`. */
const definitions: TaskDefinition[] = [
  noop,
  processStripeEventTask,
  expireHoldTask,
  expireHoldsSweepTask,
  expireCheckoutSessionTask,
  createRefundTask,
  sendEmail,
  sendEmailBatch,
  sendDepartureReminders,
  confirmOperatorBookingTask,
  releaseOperatorHoldTask,
  operatorSailingCancelledTask,
  syncOperatorChangesTask,
];

export function buildTaskList(svc: Services): TaskList {
  return Object.fromEntries(definitions.map((d) => [d.name, d.build(svc)]));
}

/** graphile-worker crontab: sweeps, reminders and the operators' change feeds. */
export const crontab = [
  // Backstop for expire_hold jobs; the per-booking job normally does it on time.
  "* * * * * expire_holds_sweep ?max=1",
  // 24-hours-before-departure reminders; the dedupe key makes each one once per booking leg.
  "*/15 * * * * send_departure_reminders ?max=1",
  // Connected operators' changes; their pushes (POST /api/webhooks/operators/<code>) are usually sooner.
  "* * * * * sync_operator_changes ?max=1",
].join("\n");
