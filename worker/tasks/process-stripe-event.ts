import { processStripeEvent } from "@/server/features/booking/payment-events";
import { defineTask } from "../define-task";

export const processStripeEventTask = defineTask("process_stripe_event", async ({ eventId }, svc) => {
  await processStripeEvent(svc, eventId);
});
