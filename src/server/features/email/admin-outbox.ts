import { and, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox, emailStatuses } from "@/server/db/schema/email";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { AppError } from "@/server/lib/errors";
import { likeEscape, type Page, pageOf, pageInputFields } from "@/server/lib/paging";
import type { Services } from "@/server/services";
import { requeueEmail } from "./outbox";

/** The admin emails panel and the booking page's "send again": the outbox, read and re-queued. */

export const listEmailsInput = z.object({
  status: z.enum(emailStatuses).optional(),
  kind: z.string().trim().max(50).optional(),
  /** Part of the recipient's address. */
  recipient: z.string().trim().max(200).optional(),
  ...pageInputFields,
});

export interface OutboxItem {
  id: string;
  kind: string;
  status: (typeof emailStatuses)[number];
  recipient: string;
  locale: string;
  attempts: number;
  lastError: string | null;
  providerId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  updatedAt: Date;
  booking: { id: string; reference: string } | null;
}

/** The outbox, newest first, filtered by status, kind and recipient. */
export async function listEmails(
  svc: Services,
  input: z.input<typeof listEmailsInput>,
): Promise<Page<OutboxItem> & { counts: Record<string, number> }> {
  const { db } = svc;
  const filters: SQL[] = [];
  if (input.status) filters.push(eq(emailOutbox.status, input.status));
  if (input.kind) filters.push(eq(emailOutbox.kind, input.kind));
  if (input.recipient) {
    filters.push(sql`${emailOutbox.recipient} ilike ${`%${likeEscape(input.recipient)}%`}`);
  }
  const where = filters.length ? and(...filters) : undefined;
  const { limit, offset } = pageOf(input);
  const [rows, [total], byStatus] = await Promise.all([
    db
      .select({ e: emailOutbox, reference: bookings.reference })
      .from(emailOutbox)
      .leftJoin(bookings, eq(bookings.id, emailOutbox.bookingId))
      .where(where)
      .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(emailOutbox).where(where),
    db.select({ status: emailOutbox.status, n: count() }).from(emailOutbox).groupBy(emailOutbox.status),
  ]);
  return {
    items: rows.map(({ e, reference }) => ({
      id: e.id,
      kind: e.kind,
      status: e.status,
      recipient: e.recipient,
      locale: e.locale,
      attempts: e.attempts,
      lastError: e.lastError,
      providerId: e.providerId,
      createdAt: e.createdAt,
      sentAt: e.sentAt,
      updatedAt: e.updatedAt,
      booking: e.bookingId && reference ? { id: e.bookingId, reference } : null,
    })),
    total: total?.n ?? 0,
    page: input.page ?? 1,
    pageSize: limit,
    counts: Object.fromEntries(emailStatuses.map((s) => [s, byStatus.find((b) => b.status === s)?.n ?? 0])),
  };
}

export const outboxIdInput = z.object({ outboxId: z.uuid("That is not an email id.") });

/**
 * Sends an email again as a new outbox row (`requeueEmail`), with the audit row in the same transaction.
 * Audited against the booking when there is one, so it shows on the booking's timeline.
 */
export async function adminResendEmail(svc: Services, actor: Actor, input: z.infer<typeof outboxIdInput>) {
  const { outboxId } = input;
  return svc.db.transaction(async (tx) => {
    const [original] = await tx
      .select({ id: emailOutbox.id, kind: emailOutbox.kind, bookingId: emailOutbox.bookingId })
      .from(emailOutbox)
      .where(eq(emailOutbox.id, outboxId));
    if (!original) throw new AppError("NOT_FOUND", "This email does not exist.");
    const newId = await requeueEmail(tx, outboxId);
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
