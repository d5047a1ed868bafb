import { queueDepartureReminders } from "@/server/features/email/reminders";
import { log } from "@/server/lib/log";
import { defineTask } from "../define-task";

/** Cron (every 15 min): queue the 24-hours-before-departure reminders that have come due. */
export const sendDepartureReminders = defineTask("send_departure_reminders", async (_payload, { db }) => {
  const queued = await queueDepartureReminders(db);
  if (queued > 0) log.info("departure reminders queued", { queued });
});
