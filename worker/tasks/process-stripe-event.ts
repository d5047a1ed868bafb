import { processStripeEvent } from "@/server/features/payments/events";
import { defineTask } from "../define-task";

export const processStripeEventTask = defineTask(
  "process_stripe_event",
  async ({ eventId }, { db, cache, stripe }) => {
    await processStripeEvent({ db, cache, stripe: stripe() }, eventId);
  },
);
