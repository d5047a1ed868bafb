import { and, asc, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "@/server/db/client";
import { adminUsers, auditLog } from "@/server/db/schema/admin";
import { bookingLegs, bookingStatuses, bookings, passengers } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { ports, routes } from "@/server/db/schema/network";
import { type PaymentFlag, payments, refunds } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { invalidateAfterCapacityChange } from "@/server/features/booking/cache-effects";
import { cancelBooking, type RefundRule, refundPreview } from "@/server/features/booking/cancel";
import { normaliseReference } from "@/server/lib/reference";
import { getBookingView } from "@/server/features/booking/view";
import type { Cache } from "@/server/features/cache/cache";
import { resendEmail } from "@/server/features/email/outbox";
import { refundableFor, requestRefund } from "@/server/features/payments/refunds";
import { AppError } from "@/server/lib/errors";
import { asDb } from "./as-db";
import { type AdminActor, writeAudit } from "./audit";
import { likeEscape, type Page, pageOf } from "@/server/lib/paging";

export interface AdminBookingDeps {
  db: Db;
  cache: Cache;
  now?: () => Date;
}

// ---- inputs ---------------------------------------------------------------------------------------

const reference = z
  .string({ error: "Give the booking reference." })
  .trim()
  .min(4, "Give the booking reference, like TRV-4K7QM9ZD.")
  .max(40)
  .transform(normaliseReference);
const minorUnits = (what: string) =>
  z
    .number({ error: `Give the ${what} in cents.` })
    .int(`The ${what} must be a whole number of cents.`)
    .min(0, `The ${what} cannot be negative.`)
    .max(100_000_000, `That ${what} is not plausible.`);
const note = z.string().trim().max(500, "Keep the note under 500 characters.").optional();

export const searchBookingsInput = z.object({
  /** A reference (or its start), an email (or part of it), or a passenger's name. */
  q: z.string().trim().max(120).optional(),
  sailingId: z.number().int().positive().optional(),
  status: z.enum(bookingStatuses).optional(),
  /** Only bookings with a payment flagged for review (e.g. an amount that did not match the total). */
  flagged: z.boolean().optional(),
  sort: z.enum(["createdAt", "departureAt", "total", "reference"]).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

export const bookingRefInput = z.object({ reference });

export const adminCancelInput = z.object({
  reference,
  /** Omit to refund what the fare's policy says; give an amount (minor units) to override it. */
  refundAmount: minorUnits("refund").optional(),
  note,
});

export const adminRefundInput = z.object({
  reference,
  /** Omit for everything still refundable; otherwise a partial refund in minor units. */
  amount: minorUnits("refund").min(1, "A refund must be at least 1 cent.").optional(),
  note,
});

export const outboxIdInput = z.object({ outboxId: z.uuid("That is not an email id.") });

// ---- search ---------------------------------------------------------------------------------------

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
  db: DbOrTx,
  input: z.infer<typeof searchBookingsInput>,
): Promise<Page<BookingListItem>> {
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
  }[input.sort];
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
    page: input.page,
    pageSize: limit,
  };
}

// ---- detail ---------------------------------------------------------------------------------------

export async function bookingIdByReference(db: DbOrTx, ref: string): Promise<string> {
  const [b] = await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.reference, ref));
  if (!b) throw new AppError("NOT_FOUND", `There is no booking ${ref}.`);
  return b.id;
}

export interface TimelineEvent {
  at: Date;
  /** e.g. `booking.created`, `payment.COMPLETED`, `refund.requested`, `email.sent`, `admin.bookings.cancel`. */
  type: string;
  summary: string;
}

/**
 * Everything the admin booking page shows: the traveller's view plus payments and refunds with their
 * Stripe ids, the emails, the audit entries, the cancellation preview and one timeline of all of it.
 * Passport numbers are not included: admins see whether one was given, not the number.
 */
export async function getAdminBooking(deps: AdminBookingDeps, ref: string) {
  const id = await bookingIdByReference(deps.db, ref);
  const [view, [b], pax, pays, refs, emails, audits] = await Promise.all([
    getBookingView(deps.db, id),
    deps.db.select().from(bookings).where(eq(bookings.id, id)),
    deps.db
      .select({
        id: passengers.id,
        type: passengers.type,
        firstName: passengers.firstName,
        lastName: passengers.lastName,
        dateOfBirth: passengers.dateOfBirth,
        nationality: passengers.nationality,
        hasDocument: sql<boolean>`${passengers.documentNumber} is not null`,
      })
      .from(passengers)
      .where(eq(passengers.bookingId, id))
      .orderBy(asc(passengers.position)),
    deps.db.select().from(payments).where(eq(payments.bookingId, id)).orderBy(asc(payments.createdAt)),
    deps.db
      .select({ refund: refunds, createdByEmail: adminUsers.email })
      .from(refunds)
      .leftJoin(adminUsers, eq(adminUsers.id, refunds.createdBy))
      .where(eq(refunds.bookingId, id))
      .orderBy(asc(refunds.createdAt)),
    deps.db
      .select({
        id: emailOutbox.id,
        kind: emailOutbox.kind,
        status: emailOutbox.status,
        recipient: emailOutbox.recipient,
        attempts: emailOutbox.attempts,
        lastError: emailOutbox.lastError,
        createdAt: emailOutbox.createdAt,
        sentAt: emailOutbox.sentAt,
        updatedAt: emailOutbox.updatedAt,
      })
      .from(emailOutbox)
      .where(eq(emailOutbox.bookingId, id))
      .orderBy(asc(emailOutbox.createdAt)),
    deps.db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        action: auditLog.action,
        adminEmail: adminUsers.email,
        before: auditLog.before,
        after: auditLog.after,
      })
      .from(auditLog)
      .leftJoin(adminUsers, eq(adminUsers.id, auditLog.adminUserId))
      .where(and(eq(auditLog.entity, "booking"), eq(auditLog.entityId, id)))
      .orderBy(asc(auditLog.at)),
  ]);
  const booking = b!;
  const preview = await refundPreview(deps, id);
  const refundable = await refundableFor(deps.db, id);

  const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;
  const timeline: TimelineEvent[] = [
    { at: booking.createdAt, type: "booking.created", summary: "Booking created, places held" },
  ];
  if (booking.confirmedAt)
    timeline.push({ at: booking.confirmedAt, type: "booking.confirmed", summary: "Paid and confirmed" });
  if (booking.expiredAt)
    timeline.push({ at: booking.expiredAt, type: "booking.expired", summary: "Hold expired unpaid" });
  if (booking.cancelledAt)
    timeline.push({ at: booking.cancelledAt, type: "booking.cancelled", summary: "Cancelled" });
  for (const p of pays) {
    timeline.push({
      at: p.createdAt,
      type: "payment.created",
      summary: `Checkout opened for ${money(p.amount, p.currency)}`,
    });
    if (p.status !== "PENDING") {
      timeline.push({
        at: p.updatedAt,
        type: `payment.${p.status}`,
        summary: `Payment ${p.status.toLowerCase().replace("_", " ")}${p.failureMessage ? `: ${p.failureMessage}` : ""}`,
      });
    }
    if (p.flag) {
      timeline.push({
        at: p.updatedAt,
        type: "payment.flagged",
        summary: `Payment flagged (${p.flag.toLowerCase().replace("_", " ")}): paid ${money(p.amount, p.currency)}, booking total ${money(booking.totalAmount, booking.currency)}; refunded automatically`,
      });
    }
  }
  for (const { refund: r, createdByEmail } of refs) {
    timeline.push({
      at: r.createdAt,
      type: "refund.requested",
      summary: `Refund of ${money(r.amount, r.currency)} requested (${r.reason})${createdByEmail ? ` by ${createdByEmail}` : ""}`,
    });
    if (r.status !== "PENDING") {
      timeline.push({
        at: r.updatedAt,
        type: `refund.${r.status}`,
        summary: `Refund ${r.status.toLowerCase()}${r.failureReason ? `: ${r.failureReason}` : ""}`,
      });
    }
  }
  for (const e of emails) {
    timeline.push({ at: e.createdAt, type: "email.queued", summary: `Email ${e.kind} queued` });
    if (e.status === "SENT" && e.sentAt)
      timeline.push({ at: e.sentAt, type: "email.sent", summary: `Email ${e.kind} sent` });
    if (e.status === "FAILED") {
      timeline.push({
        at: e.updatedAt,
        type: "email.failed",
        summary: `Email ${e.kind} failed${e.lastError ? `: ${e.lastError}` : ""}`,
      });
    }
  }
  for (const a of audits) {
    timeline.push({
      at: a.at,
      type: `admin.${a.action}`,
      summary: `${a.action} by ${a.adminEmail ?? "a deleted admin"}`,
    });
  }
  timeline.sort((x, y) => x.at.getTime() - y.at.getTime());

  return {
    ...view,
    id,
    contactPhone: booking.contactPhone,
    expiredAt: booking.expiredAt,
    passengers: pax,
    payments: pays.map((p) => ({
      id: p.id,
      status: p.status,
      amount: p.amount,
      amountRefunded: p.amountRefunded,
      currency: p.currency,
      checkoutSessionId: p.checkoutSessionId,
      paymentIntentId: p.paymentIntentId,
      failureMessage: p.failureMessage,
      flag: p.flag,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    })),
    refunds: refs.map(({ refund: r, createdByEmail }) => ({
      id: r.id,
      status: r.status,
      amount: r.amount,
      currency: r.currency,
      reason: r.reason,
      stripeRefundId: r.stripeRefundId,
      failureReason: r.failureReason,
      createdBy: createdByEmail,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })),
    emails,
    audit: audits,
    /** What "cancel with the policy" would refund now, and the most an override or refund may be. */
    cancelPreview: { ...preview, maxRefund: refundable.amount },
    refundable,
    timeline,
  };
}

export type AdminBookingView = Awaited<ReturnType<typeof getAdminBooking>>;

// ---- changes ----------------------------------------------------------------------------------------

async function lockBooking(tx: Tx, bookingId: string) {
  const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
  if (!b) throw new AppError("NOT_FOUND", "This booking does not exist.");
  return b;
}

async function legSailingIds(db: DbOrTx, bookingId: string): Promise<number[]> {
  const rows = await db
    .select({ id: bookingLegs.sailingId })
    .from(bookingLegs)
    .where(eq(bookingLegs.bookingId, bookingId));
  return rows.map((r) => r.id);
}

export type AdminCancelRefund = RefundRule;

/**
 * Cancels a booking as an admin, through the same `cancelBooking` travellers use (places released, refund
 * row + create_refund job, cancellation email), with the audit row in the same transaction. The refund is
 * worked out by `cancelBooking` under the booking and payment locks, net of refunds in flight. Returns null
 * when the booking was already cancelled or expired and `skipInactive` is set (sailing cancellation re-runs).
 */
export async function cancelBookingAsAdmin(
  deps: AdminBookingDeps,
  actor: AdminActor,
  bookingId: string,
  opts: {
    refund: AdminCancelRefund;
    reason: "ADMIN_CANCELLATION" | "SAILING_CANCELLED";
    note?: string;
    skipInactive?: boolean;
  },
): Promise<{ status: "CANCELLED"; refund: { amount: number; currency: string } } | null> {
  const result = await deps.db.transaction(async (tx) => {
    // Locked first, so a concurrent admin refund or a second sailing cancellation waits for us.
    const b = await lockBooking(tx, bookingId);
    if ((b.status === "CANCELLED" || b.status === "EXPIRED") && opts.skipInactive) return null;
    const r = await cancelBooking({ db: asDb(tx), cache: deps.cache, now: deps.now }, bookingId, {
      refund: opts.refund,
      adminUserId: actor.userId,
      reason: opts.reason,
    });
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: opts.reason === "SAILING_CANCELLED" ? "schedule.cancelSailing.booking" : "bookings.cancel",
      entity: "booking",
      entityId: bookingId,
      before: { status: b.status },
      after: { status: r.status, refund: r.refund, refundRule: opts.refund.kind, note: opts.note ?? null },
    });
    return r;
  });
  if (result) {
    // cancelBooking already invalidated, but inside our then-uncommitted transaction: a search in between
    // could have cached the old numbers again. Now the change is visible, invalidate once more.
    await invalidateAfterCapacityChange(deps.db, deps.cache, await legSailingIds(deps.db, bookingId), {
      routes: true,
    });
  }
  return result;
}

export async function adminCancelBooking(
  deps: AdminBookingDeps,
  actor: AdminActor,
  input: z.infer<typeof adminCancelInput>,
) {
  const id = await bookingIdByReference(deps.db, input.reference);
  const r = await cancelBookingAsAdmin(deps, actor, id, {
    refund:
      input.refundAmount === undefined ? { kind: "POLICY" } : { kind: "AMOUNT", amount: input.refundAmount },
    reason: "ADMIN_CANCELLATION",
    note: input.note,
  });
  return r!;
}

/**
 * A full or partial refund of a paid booking without cancelling it (a goodwill gesture, a downgraded
 * cabin …), or a further refund after a cancellation that refunded less. Stripe is called by the
 * create_refund job; the traveller's refund email goes when Stripe confirms.
 */
export async function adminRefundBooking(
  deps: AdminBookingDeps,
  actor: AdminActor,
  input: z.infer<typeof adminRefundInput>,
) {
  const id = await bookingIdByReference(deps.db, input.reference);
  return deps.db.transaction(async (tx) => {
    const b = await lockBooking(tx, id);
    if (b.status !== "CONFIRMED" && b.status !== "CANCELLED") {
      throw new AppError("CONFLICT", "Only a paid booking can be refunded; this one was never paid.");
    }
    const refundable = await refundableFor(tx, id, { lock: true });
    if (!refundable.paymentId || refundable.amount <= 0) {
      throw new AppError("CONFLICT", "Nothing is left to refund on this booking.", { maxRefund: 0 });
    }
    const amount = input.amount ?? refundable.amount;
    if (amount > refundable.amount) {
      throw new AppError(
        "BAD_REQUEST",
        `The refund cannot be more than the ${(refundable.amount / 100).toFixed(2)} ${refundable.currency} still refundable.`,
        { maxRefund: refundable.amount },
      );
    }
    const refundId = await requestRefund(tx, {
      bookingId: id,
      paymentId: refundable.paymentId,
      amount,
      currency: refundable.currency ?? b.currency,
      reason: "ADMIN_REFUND",
      createdBy: actor.userId,
    });
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "bookings.refund",
      entity: "booking",
      entityId: id,
      before: { refundable: refundable.amount },
      after: {
        refundId,
        amount,
        currency: refundable.currency,
        full: amount === refundable.amount,
        note: input.note ?? null,
      },
    });
    return { refundId, amount, currency: refundable.currency ?? b.currency, status: "PENDING" as const };
  });
}

/**
 * Sends an email again as a new outbox row (see `resendEmail`), with the audit row in the same
 * transaction. Audited against the booking when there is one, so it shows on the booking's timeline.
 */
export async function adminResendEmail(deps: { db: Db }, actor: AdminActor, outboxId: string) {
  return deps.db.transaction(async (tx) => {
    const [original] = await tx
      .select({ id: emailOutbox.id, kind: emailOutbox.kind, bookingId: emailOutbox.bookingId })
      .from(emailOutbox)
      .where(eq(emailOutbox.id, outboxId));
    if (!original) throw new AppError("NOT_FOUND", "This email does not exist.");
    const newId = await resendEmail(asDb(tx), outboxId);
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "emails.resend",
      entity: original.bookingId ? "booking" : "email",
      entityId: original.bookingId ?? outboxId,
      after: { kind: original.kind, originalOutboxId: outboxId, newOutboxId: newId },
    });
    return { outboxId: newId };
  });
}
