import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { type AdminRole, adminUsers, auditLog } from "@/server/db/schema/admin";
import { type Page, pageOf, pageInputFields } from "@/server/lib/paging";
import type { Services } from "@/server/services";

/**
 * Who is acting: the signed-in staff member (the admin tiers of server/api/trpc.ts put their session
 * here). Every admin mutation takes it so the audit row names them.
 */
export interface Actor {
  userId: string;
  email: string;
  role: AdminRole;
}

export interface AuditEntry {
  adminUserId: string | null;
  /** `<area>.<verb>`, e.g. `schedule.setCapacity`, `pricing.setFare`. */
  action: string;
  /** The table-ish noun the change is about: `sailing`, `fare`, `booking`, `email`, `job`, `cache` … */
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Writes one audit row. Call it with the transaction that makes the change, so the log has a row if and
 * only if the change happened. Values are stored as JSON; callers pass ids and business fields only
 * (never passwords, tokens or document numbers).
 */
export async function writeAudit(tx: DbOrTx, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    adminUserId: e.adminUserId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
    before: toJson(e.before),
    after: toJson(e.after),
  });
}

/** Dates become ISO strings and undefined disappears, so what is stored is what JSON can say. */
function toJson(v: unknown): unknown {
  if (v === undefined) return null;
  return JSON.parse(JSON.stringify(v));
}

export const listAuditInput = z.object({
  entity: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(100).optional(),
  action: z.string().trim().max(100).optional(),
  adminUserId: z.uuid().optional(),
  ...pageInputFields,
});

export interface AuditItem {
  id: number;
  at: Date;
  action: string;
  entity: string;
  entityId: string | null;
  admin: { id: string; email: string } | null;
  before: unknown;
  after: unknown;
}

/** The audit log, newest first. */
export async function listAudit(
  svc: Services,
  input: z.input<typeof listAuditInput>,
): Promise<Page<AuditItem>> {
  const db = svc.db;
  const filters: SQL[] = [];
  if (input.entity) filters.push(eq(auditLog.entity, input.entity));
  if (input.entityId) filters.push(eq(auditLog.entityId, input.entityId));
  if (input.action) filters.push(eq(auditLog.action, input.action));
  if (input.adminUserId) filters.push(eq(auditLog.adminUserId, input.adminUserId));
  const where = filters.length ? and(...filters) : undefined;
  const { limit, offset } = pageOf(input);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        action: auditLog.action,
        entity: auditLog.entity,
        entityId: auditLog.entityId,
        adminId: adminUsers.id,
        adminEmail: adminUsers.email,
        before: auditLog.before,
        after: auditLog.after,
      })
      .from(auditLog)
      .leftJoin(adminUsers, eq(adminUsers.id, auditLog.adminUserId))
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      admin: r.adminId ? { id: r.adminId, email: r.adminEmail ?? "" } : null,
      before: r.before,
      after: r.after,
    })),
    total: total?.n ?? 0,
    page: input.page ?? 1,
    pageSize: limit,
  };
}
