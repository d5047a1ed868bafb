import { adminCancelBooking, adminCancelInput } from "@/server/features/booking/admin-cancel";
import { bookingRefInput, getAdminBooking } from "@/server/features/booking/admin-detail";
import { searchBookings, searchBookingsInput } from "@/server/features/booking/admin-search";
import { adminResendEmail, outboxIdInput } from "@/server/features/email/admin-outbox";
import { adminRefundBooking, adminRefundInput } from "@/server/features/payments/admin-refund";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import { adminAction } from "./actions";

/** admin.bookings — find a booking, see everything about it, cancel, refund, resend its emails. */
export const adminBookingsRouter = createTRPCRouter({
  /** `q` may be an email address: POST only, like every query that can carry one. */
  search: adminProcedure
    .meta({ sensitiveInput: true })
    .input(searchBookingsInput)
    .query(({ ctx, input }) => searchBookings(ctx.svc, input)),
  get: adminProcedure.input(bookingRefInput).query(({ ctx, input }) => getAdminBooking(ctx.svc, input)),
  cancel: adminAction(adminCancelInput, adminCancelBooking),
  refund: adminAction(adminRefundInput, adminRefundBooking),
  resendEmail: adminAction(outboxIdInput, adminResendEmail),
});
