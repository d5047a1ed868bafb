import type { Services } from "@/server/services";
import {
  type BookingDocument,
  type BookingLeg,
  loadBooking,
  type DocumentPassenger,
} from "@/server/db/queries/booking";
import { signTicketCode } from "./codes";
import { qrDataUri } from "./qr";
import { signTicketLinkToken, ticketLinkExpiry, verifyTicketLinkToken } from "./ticket-link";

export interface TicketEntry {
  passenger: DocumentPassenger;
  leg: BookingLeg;
  /** The signed QR content. */
  code: string;
}

/** One boarding code per passenger and leg, in itinerary order. */
export function ticketEntries(booking: BookingDocument, key?: string): TicketEntry[] {
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

/**
 * The signed token for the booking's printable ticket page, valid until a while after the last arrival.
 * Takes any projection of the read model: the manage-booking page links to the tickets with the one it has.
 */
export function ticketLinkToken(booking: Pick<BookingDocument, "id" | "legs">, key?: string): string {
  const lastArrival = new Date(Math.max(0, ...booking.legs.map((leg) => leg.arrivalAt.getTime())));
  return signTicketLinkToken(booking.id, ticketLinkExpiry(lastArrival), key);
}

export type TicketPage =
  | { state: "invalid" | "expired" }
  | {
      state: "ok";
      booking: BookingDocument;
      tickets: (TicketEntry & { qr: string })[];
    };

/** Everything the printable ticket page shows, from the signed token in its URL. */
export async function loadTicketPage(svc: Services, input: { token: string }): Promise<TicketPage> {
  const verified = verifyTicketLinkToken(input.token, svc.clock.now());
  if (!verified.ok) return { state: verified.reason === "expired" ? "expired" : "invalid" };
  const booking = await loadBooking(svc.db, { id: verified.bookingId }, "document");
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
