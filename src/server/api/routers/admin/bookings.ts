import {
  adminCancelBooking,
  adminCancelInput,
  adminRefundBooking,
  adminRefundInput,
  adminResendEmail,
  bookingRefInput,
  getAdminBooking,
  outboxIdInput,
  searchBookings,
  searchBookingsInput,
} from "@/server/features/admin/bookings";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.bookings — find a booking, see everything about it, cancel, refund, resend its emails. */
export const adminBookingsRouter = createTRPCRouter({
  /** `q` may be an email address: POST only, like every query that can carry one. */
  search: adminProcedure
    .meta({ sensitiveInput: true })
    .input(searchBookingsInput)
    .query(({ ctx, input }) => searchBookings(ctx.db, input)),
  get: adminProcedure.input(bookingRefInput).query(({ ctx, input }) => getAdminBooking(ctx, input.reference)),
  cancel: adminProcedure
    .input(adminCancelInput)
    .mutation(({ ctx, input }) => adminCancelBooking(ctx, { userId: ctx.admin.userId }, input)),
  refund: adminProcedure
    .input(adminRefundInput)
    .mutation(({ ctx, input }) => adminRefundBooking(ctx, { userId: ctx.admin.userId }, input)),
  resendEmail: adminProcedure
    .input(outboxIdInput)
    .mutation(({ ctx, input }) => adminResendEmail(ctx, { userId: ctx.admin.userId }, input.outboxId)),
});
