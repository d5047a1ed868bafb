import type { DbOrTx } from "@/server/db/client";
import type { Services } from "@/server/services";
import { type BookingView, type LegView, loadBookingView, type PassengerView } from "./load-booking";
import { signTicketCode } from "./codes";
import { qrDataUri } from "./qr";
import { signTicketLinkToken, ticketLinkExpiry, verifyTicketLinkToken } from "./ticket-link";

export interface TicketEntry {
  passenger: PassengerView;
  leg: LegView;
  /** The signed QR content. */
  code: string;
}

/** One boarding code per passenger and leg, in itinerary order. */
export function ticketEntries(booking: BookingView, key?: string): TicketEntry[] {
  return booking.legs.flatMap((leg) =>
    booking.passengers.map((passenger) => ({
      passenger,
      leg,
      code: signTicketCode(
        {
          ref: booking.reference,
          passengerId: passenger.id,
          direction: leg.direction,
          sailingId: leg.sailingId,
        },
        key,
      ),
    })),
  );
}

/** The signed token for the booking's printable ticket page. */
export function ticketLinkToken(booking: BookingView, key?: string): string {
  const lastArrival = new Date(Math.max(0, ...booking.legs.map((leg) => leg.arrivalAt.getTime())));
  return signTicketLinkToken(booking.id, ticketLinkExpiry(lastArrival), key);
}

/**
 * The signed ticket-page token for a booking, for the manage-booking page's "e-tickets" link. Null when the
 * booking does not exist or is not confirmed (there is nothing to board with).
 */
export async function ticketTokenForBooking(db: DbOrTx, bookingId: string): Promise<string | null> {
  const booking = await loadBookingView(db, bookingId);
  if (booking?.status !== "CONFIRMED") return null;
  return ticketLinkToken(booking);
}

export type TicketPage =
  | { state: "invalid" | "expired" }
  | {
      state: "ok";
      booking: BookingView;
      tickets: (TicketEntry & { qr: string })[];
    };

/** Everything the printable ticket page shows, from the signed token in its URL. */
export async function loadTicketPage(svc: Services, input: { token: string }): Promise<TicketPage> {
  const verified = verifyTicketLinkToken(input.token, svc.clock.now());
  if (!verified.ok) return { state: verified.reason === "expired" ? "expired" : "invalid" };
  const booking = await loadBookingView(svc.db, verified.bookingId);
  if (!booking) return { state: "invalid" };
  // Codes only for a confirmed booking: a cancelled booking's page explains itself instead of showing QR codes.
  const entries = booking.status === "CONFIRMED" ? ticketEntries(booking) : [];
  const tickets = await Promise.all(
    entries.map(async (e) => ({
      ...e,
      qr: await qrDataUri(e.code),
    })),
  );
  return { state: "ok", booking, tickets };
}
