import { sendOutboxBatch } from "@/server/features/email/send-batch";
import { defineTask } from "../define-task";

/**
 * Sends up to 100 mass-notice emails in one Resend batch request. Runs on the `resend-batch` queue (one
 * job at a time across all workers) and holds it for 1/RESEND_RATE_LIMIT s, which is the pacing.
 */
export const sendEmailBatch = defineTask("send_email_batch", async ({ outboxIds }, svc, helpers) => {
  await sendOutboxBatch(svc, outboxIds, {
    jobAttempt: helpers.job.attempts,
    lastJobAttempt: helpers.job.attempts >= helpers.job.max_attempts,
  });
});
