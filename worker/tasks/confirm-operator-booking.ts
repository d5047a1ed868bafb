import { confirmOperatorBooking } from "@/server/features/booking/operator-confirm";
import { defineTask } from "../define-task";

export const confirmOperatorBookingTask = defineTask(
  "confirm_operator_booking",
  async ({ bookingId, until }, svc) => {
    await confirmOperatorBooking(svc, bookingId, new Date(until));
  },
);
