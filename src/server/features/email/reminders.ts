import { and, eq, gt, lte, sql } from "drizzle-orm";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { sailings } from "@/server/db/schema/sailings";
import type { Services } from "@/server/services";
import { queueEmail } from "./outbox";
import { legSailing } from "@/server/db/queries/joins";

export const REMINDER_LEAD_MS = 24 * 3600_000;

/**
 * Queues a reminder for every leg of a confirmed booking that departs within the next 24 hours. The dedupe
 * key `reminder:<booking>:<direction>` makes it once per leg however often the cron runs, and the 24-hour
 * window means a cron tick missed while the worker was down is caught up by the next one.
 *
 * Skipped: legs of bookings confirmed inside that window — their confirmation email, minutes old, already
 * carries the tickets and times — and cancelled sailings, which get a sailing notice instead.
 */
export async function queueDepartureReminders(svc: Services): Promise<number> {
  const { db } = svc;
  const now = svc.clock.now();
  const horizon = new Date(now.getTime() + REMINDER_LEAD_MS);
  const due = await db
    .select({
      bookingId: bookings.id,
      email: bookings.contactEmail,
      locale: bookings.locale,
      direction: bookingLegs.direction,
    })
    .from(bookingLegs)
    .innerJoin(sailings, legSailing)
    .innerJoin(bookings, eq(bookings.id, bookingLegs.bookingId))
    .where(
      and(
        eq(bookings.status, "CONFIRMED"),
        eq(sailings.status, "SCHEDULED"),
        gt(sailings.departureAt, now),
        lte(sailings.departureAt, horizon),
        sql`(${bookings.confirmedAt} is null or ${bookings.confirmedAt} < ${sailings.departureAt} - interval '24 hours')`,
        // Already reminded: skip here through the unique index instead of re-inserting every 15 minutes.
        sql`not exists (select 1 from ${emailOutbox} where ${emailOutbox.dedupeKey} = 'reminder:' || ${bookings.id} || ':' || ${bookingLegs.direction})`,
      ),
    );
  let queued = 0;
  for (const leg of due) {
    // One short transaction per email: a failure on one does not hold back the others.
    const id = await db.transaction((tx) =>
      queueEmail(tx, {
        kind: "departure_reminder",
        bookingId: leg.bookingId,
        recipient: leg.email,
        locale: leg.locale,
        dedupeKey: `reminder:${leg.bookingId}:${leg.direction}`,
        data: { direction: leg.direction },
      }),
    );
    if (id) queued++;
  }
  return queued;
}
