import { executeRefund } from "@/server/features/payments/refunds";
import { defineTask } from "../define-task";

export const createRefundTask = defineTask("create_refund", async ({ refundId }, svc) => {
  await executeRefund(svc, refundId);
});
