import { expireHold } from "@/server/features/booking/lifecycle";
import { defineTask } from "../define-task";

export const expireHoldTask = defineTask("expire_hold", async ({ bookingId }, svc) => {
  await expireHold(svc, bookingId);
});
