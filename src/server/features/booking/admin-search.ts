import { and, asc, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { bookingLegs, bookingStatuses, bookings, passengers } from "@/server/db/schema/bookings";
import { ports, routes } from "@/server/db/schema/network";
import { type PaymentFlag, payments } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { likeEscape, type Page, pageOf, pageInputFields } from "@/server/lib/paging";
import { normaliseReference } from "@/server/lib/reference";
import type { Services } from "@/server/services";

/** The admin bookings list: find bookings by reference, email, passenger name, sailing, status or flag. */

export const searchBookingsInput = z.object({
  /** A reference (or its start), an email (or part of it), or a passenger's name. */
  q: z.string().trim().max(120).optional(),
  sailingId: z.number().int().positive().optional(),
  status: z.enum(bookingStatuses).optional(),
  /** Only bookings with a payment flagged for review (e.g. an amount that did not match the total). */
  flagged: z.boolean().optional(),
  sort: z.enum(["createdAt", "departureAt", "total", "reference"]).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  ...pageInputFields,
});

export interface BookingListItem {
  id: string;
  reference: string;
  status: (typeof bookingStatuses)[number];
  contactEmail: string;
  leadPassenger: string | null;
  passengers: number;
  total: { amount: number; currency: string };
  /** A payment of this booking needs review (refunded automatically, never confirmed): see `paymentFlags`. */
  flag: PaymentFlag | null;
  createdAt: Date;
  outbound: { sailingId: number; departureAt: Date; from: string; to: string; timeZone: string } | null;
}

/** Bookings by reference, email, passenger name and/or sailing, paginated. */
export async function searchBookings(
  svc: Services,
  input: z.input<typeof searchBookingsInput>,
): Promise<Page<BookingListItem>> {
  const { db } = svc;
  const filters: SQL[] = [];
  const q = input.q?.trim();
  if (q) {
    const like = `%${likeEscape(q.toLowerCase())}%`;
    const byEmail = sql`${bookings.contactEmail} like ${like}`;
    if (q.includes("@")) {
      filters.push(byEmail);
    } else {
      const refPrefix = `${likeEscape(normaliseReference(q))}%`;
      filters.push(
        sql`(${bookings.reference} like ${refPrefix} or ${byEmail} or exists (
          select 1 from ${passengers} where ${passengers.bookingId} = ${bookings.id}
            and (${passengers.firstName} || ' ' || ${passengers.lastName}) ilike ${`%${likeEscape(q)}%`}))`,
      );
    }
  }
  if (input.sailingId) {
    filters.push(
      sql`exists (select 1 from ${bookingLegs} where ${bookingLegs.bookingId} = ${bookings.id} and ${bookingLegs.sailingId} = ${input.sailingId})`,
    );
  }
  if (input.status) filters.push(eq(bookings.status, input.status));
  const flaggedPayment = sql`select ${payments.flag} from ${payments}
    where ${payments.bookingId} = ${bookings.id} and ${payments.flag} is not null`;
  if (input.flagged) filters.push(sql`exists (${flaggedPayment})`);
  const where = filters.length ? and(...filters) : undefined;
  const { limit, offset } = pageOf(input);
  const outLeg = alias(bookingLegs, "out_leg");
  const outSailing = alias(sailings, "out_sailing");
  const sortCol = {
    createdAt: bookings.createdAt,
    departureAt: outSailing.departureAt,
    total: bookings.totalAmount,
    reference: bookings.reference,
  }[input.sort ?? "createdAt"];
  const order = input.dir === "asc" ? asc(sortCol) : desc(sortCol);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: bookings.id,
        reference: bookings.reference,
        status: bookings.status,
        contactEmail: bookings.contactEmail,
        totalAmount: bookings.totalAmount,
        currency: bookings.currency,
        createdAt: bookings.createdAt,
        sailingId: outSailing.id,
        departureAt: outSailing.departureAt,
        from: routes.fromPort,
        to: routes.toPort,
        timeZone: ports.timeZone,
        lead: sql<
          string | null
        >`(select ${passengers.firstName} || ' ' || ${passengers.lastName} from ${passengers}
          where ${passengers.bookingId} = ${bookings.id} order by ${passengers.position} limit 1)`,
        pax: sql<number>`(select count(*)::int from ${passengers} where ${passengers.bookingId} = ${bookings.id})`,
        flag: sql<PaymentFlag | null>`(${flaggedPayment} limit 1)`,
      })
      .from(bookings)
      .leftJoin(outLeg, and(eq(outLeg.bookingId, bookings.id), eq(outLeg.direction, "OUTBOUND")))
      .leftJoin(outSailing, eq(outSailing.id, outLeg.sailingId))
      .leftJoin(routes, eq(routes.id, outSailing.routeId))
      .leftJoin(ports, eq(ports.code, routes.fromPort))
      .where(where)
      .orderBy(order, desc(bookings.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(bookings).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      status: r.status,
      contactEmail: r.contactEmail,
      leadPassenger: r.lead,
      passengers: Number(r.pax),
      total: { amount: r.totalAmount, currency: r.currency },
      flag: r.flag,
      createdAt: r.createdAt,
      outbound:
        r.sailingId && r.departureAt && r.from && r.to && r.timeZone
          ? {
              sailingId: r.sailingId,
              departureAt: r.departureAt,
              from: r.from,
              to: r.to,
              timeZone: r.timeZone,
            }
          : null,
    })),
    total: total?.n ?? 0,
    page: input.page ?? 1,
    pageSize: limit,
  };
}
