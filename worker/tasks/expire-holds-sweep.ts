import { expireOverdueHolds } from "@/server/features/booking/lifecycle";
import { pruneRateLimits } from "@/server/features/security/rate-limit";
import { log } from "@/server/lib/log";
import { defineTask } from "../define-task";

/** Cron, every minute: the backstop for lost or late expire_hold jobs, plus rate-limit housekeeping. */
export const expireHoldsSweepTask = defineTask("expire_holds_sweep", async (_payload, { db, cache }) => {
  const n = await expireOverdueHolds({ db, cache });
  if (n > 0) log.info("sweep expired holds", { count: n });
  await pruneRateLimits(db);
});
