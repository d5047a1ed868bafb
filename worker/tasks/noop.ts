import { defineTask } from "../define-task";

/** Round-trips the queue; used by tests and by operators to check a worker is consuming jobs. */
export const noop = defineTask("noop", async (payload, svc, helpers) => {
  svc.log.debug("noop job ran", { jobId: helpers.job.id, note: payload.note });
});
