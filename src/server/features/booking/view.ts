import type { DbOrTx } from "@/server/db/client";
import { type BookingRead, loadBooking } from "@/server/db/queries/booking";
import { ticketUrl } from "@/server/features/tickets/ticket-link";
import { ticketLinkToken } from "@/server/features/tickets/tickets";
import { AppError } from "@/server/lib/errors";

/** Everything a traveller sees about their booking. No document numbers: those stay in the database. */
export async function getBookingView(db: DbOrTx, bookingId: string) {
  const b = await loadBooking(db, { id: bookingId }, "traveller");
  if (!b)
    throw new AppError(
      "NOT_FOUND",
      "We found no booking with this reference and email. Check both and try again.",
    );
  return travellerView(b);
}

/** The traveller's page from the read model's `traveller` projection (or the `admin` one, which holds it). */
export function travellerView(b: BookingRead<"traveller">) {
  // The printable e-ticket page, reachable only through this signed link (and the confirmation email).
  const token = b.status === "CONFIRMED" ? ticketLinkToken(b) : null;
  return {
    ticketUrl: token ? ticketUrl(b.locale, token) : null,
    reference: b.reference,
    status: b.status,
    locale: b.locale,
    contactEmail: b.contactEmail,
    holdExpiresAt: b.holdExpiresAt,
    createdAt: b.createdAt,
    confirmedAt: b.confirmedAt,
    cancelledAt: b.cancelledAt,
    total: { amount: b.totalAmount, currency: b.currency },
    legs: b.legs,
    passengers: b.passengers,
    vehicle: b.vehicle,
    pets: b.priceLines.filter((l) => l.kind === "PET").reduce((m, l) => Math.max(m, l.quantity), 0),
    priceLines: b.priceLines,
    payments: b.payments,
    refunds: b.refunds,
  };
}
