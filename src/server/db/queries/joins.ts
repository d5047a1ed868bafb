import { eq } from "drizzle-orm";
import { bookingLegs } from "@/server/db/schema/bookings";
import { routes } from "@/server/db/schema/network";
import { sailings } from "@/server/db/schema/sailings";

/** The join conditions the booking and email queries share: a leg's sailing, and a sailing's route. */
export const legSailing = eq(sailings.id, bookingLegs.sailingId);
export const sailingRoute = eq(routes.id, sailings.routeId);
