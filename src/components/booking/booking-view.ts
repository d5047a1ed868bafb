import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** The traveller's view of a booking, as `booking.get` and `booking.checkoutStatus` return it. */
export type BookingView = inferRouterOutputs<AppRouter>["booking"]["get"];
