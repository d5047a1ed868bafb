import { createBooking } from "@/server/features/booking/create";
import { bookingLookupInput, createBookingInput } from "@/server/features/booking/input";
import {
  cancelForTraveller,
  checkoutStatusInput,
  payForTraveller,
  previewForTraveller,
  viewForCheckout,
  viewForTraveller,
} from "@/server/features/booking/manage";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** Reference + email: queries, but only ever answered to a POST (the email stays out of URLs). */
const lookupQuery = publicProcedure.meta({ sensitiveInput: true }).input(bookingLookupInput);

export const bookingRouter = createTRPCRouter({
  create: publicProcedure
    .input(createBookingInput)
    .mutation(({ ctx, input }) => createBooking(ctx.svc, input, ctx)),
  get: lookupQuery.query(({ ctx, input }) => viewForTraveller(ctx.svc, input, ctx)),
  pay: publicProcedure
    .input(bookingLookupInput)
    .mutation(({ ctx, input }) => payForTraveller(ctx.svc, input, ctx)),
  refundPreview: lookupQuery.query(({ ctx, input }) => previewForTraveller(ctx.svc, input, ctx)),
  cancel: publicProcedure
    .input(bookingLookupInput)
    .mutation(({ ctx, input }) => cancelForTraveller(ctx.svc, input, ctx)),
  checkoutStatus: publicProcedure
    .input(checkoutStatusInput)
    .query(({ ctx, input }) => viewForCheckout(ctx.svc, input)),
});
