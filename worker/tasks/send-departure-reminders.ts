import { queueDepartureReminders } from "@/server/features/email/reminders";
import { defineTask } from "../define-task";

/** Cron (every 15 min): queue the 24-hours-before-departure reminders that have come due. */
export const sendDepartureReminders = defineTask("send_departure_reminders", async (_payload, svc) => {
  const queued = await queueDepartureReminders(svc);
  if (queued > 0) svc.log.info("departure reminders queued", { queued });
});
