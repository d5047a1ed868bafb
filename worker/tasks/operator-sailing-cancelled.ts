import { operatorSailingCancelled } from "@/server/features/booking/operator-sailing-cancelled";
import { defineTask } from "../define-task";

export const operatorSailingCancelledTask = defineTask("operator_sailing_cancelled", async (payload, svc) => {
  await operatorSailingCancelled(svc, payload);
});
