import { z } from "zod";
import { createBooking } from "@/server/features/booking/create";
import { bookingLookupInput, createBookingInput } from "@/server/features/booking/input";
import {
  cancelForTraveller,
  payForTraveller,
  previewForTraveller,
  viewForCheckout,
  viewForTraveller,
} from "@/server/features/booking/manage";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** Reference + email: queries, but only ever answered to a POST (the email stays out of URLs). */
const lookupQuery = publicProcedure.meta({ sensitiveInput: true }).input(bookingLookupInput);

export const bookingRouter = createTRPCRouter({
  create: publicProcedure.input(createBookingInput).mutation(({ ctx, input }) => createBooking(ctx, input)),
  get: lookupQuery.query(({ ctx, input }) => viewForTraveller(ctx, input)),
  pay: publicProcedure.input(bookingLookupInput).mutation(({ ctx, input }) => payForTraveller(ctx, input)),
  refundPreview: lookupQuery.query(({ ctx, input }) => previewForTraveller(ctx, input)),
  cancel: publicProcedure
    .input(bookingLookupInput)
    .mutation(({ ctx, input }) => cancelForTraveller(ctx, input)),
  checkoutStatus: publicProcedure
    .input(
      z
        .object({ sessionId: z.string().min(5).max(255).optional(), paymentId: z.uuid().optional() })
        .refine((i) => i.sessionId || i.paymentId, "Give the checkout session or payment id."),
    )
    .query(({ ctx, input }) => viewForCheckout(ctx, input)),
});
