import { expireOverdueHolds } from "@/server/features/booking/lifecycle";
import { pruneRateLimits } from "@/server/features/security/rate-limit";
import { defineTask } from "../define-task";

/** Cron, every minute: the backstop for lost or late expire_hold jobs, plus rate-limit housekeeping. */
export const expireHoldsSweepTask = defineTask("expire_holds_sweep", async (_payload, svc) => {
  const n = await expireOverdueHolds(svc);
  if (n > 0) svc.log.info("sweep expired holds", { count: n });
  await pruneRateLimits(svc);
});
