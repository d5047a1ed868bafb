import { log } from "@/server/lib/log";
import { defineTask } from "../define-task";

/** Round-trips the queue; used by tests and by operators to check a worker is consuming jobs. */
export const noop = defineTask("noop", async (payload, { helpers }) => {
  log.debug("noop job ran", { jobId: helpers.job.id, note: payload.note });
});
