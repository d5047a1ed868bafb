import { sendOutboxEmail } from "@/server/features/email/send";
import { defineTask } from "../define-task";

/**
 * Sends one outbox email. Success, a permanent rejection and a 429 (which re-adds this job at
 * retry-after) all return normally; 5xx and network errors throw so graphile-worker retries with backoff.
 */
export const sendEmail = defineTask("send_email", async ({ outboxId }, svc, helpers) => {
  await sendOutboxEmail(svc, outboxId, {
    jobAttempt: helpers.job.attempts,
    lastJobAttempt: helpers.job.attempts >= helpers.job.max_attempts,
  });
});
