import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { bookings } from "@/server/db/schema/bookings";
import { AppError } from "@/server/lib/errors";
import { normaliseReference } from "@/server/lib/reference";

/**
 * A booking is only visible with its reference and the contact email. A wrong email and an unknown
 * reference get the same answer, so the endpoint cannot be used to learn which references exist.
 */
export async function findBooking(db: DbOrTx, reference: string, email: string) {
  const [b] = await db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.reference, normaliseReference(reference)),
        eq(bookings.contactEmail, email.trim().toLowerCase()),
      ),
    );
  if (!b) {
    throw new AppError(
      "NOT_FOUND",
      "We found no booking with this reference and email. Check both and try again.",
    );
  }
  return b;
}

export const LOOKUP_RATE_LIMIT = { name: "booking.lookup", limit: 30, windowSeconds: 60 } as const;
