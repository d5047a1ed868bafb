import { releaseOperatorHold } from "@/server/features/booking/operator-release";
import { defineTask } from "../define-task";

export const releaseOperatorHoldTask = defineTask("release_operator_hold", async (payload, svc, helpers) => {
  await releaseOperatorHold(svc, payload, helpers.job.attempts >= helpers.job.max_attempts);
});
