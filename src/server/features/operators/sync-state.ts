import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { OPERATOR_SYNC_ERROR_MAX, operators } from "@/server/db/schema/network";
import { describeError } from "@/server/lib/describe-error";
import { isOperatorError } from "./operator-error";

/**
 * The change feed's bookkeeping on the operator's row: where to resume, when the feed was last read, and
 * why the last read failed, for the admin page. The error is stored as a short, scrubbed line: an
 * `OperatorError`'s message carries no request data by construction; anything else goes through
 * `describeError`.
 */

export interface SyncState {
  cursor: string | null;
  lastSyncAt: Date | null;
  lastSyncError: string | null;
}

export async function readSyncState(db: DbOrTx, code: string): Promise<SyncState | undefined> {
  const [row] = await db
    .select({
      cursor: operators.changeCursor,
      lastSyncAt: operators.lastSyncAt,
      lastSyncError: operators.lastSyncError,
    })
    .from(operators)
    .where(eq(operators.code, code));
  return row;
}

/** A read of the feed went through: keep its cursor and clear the last error. */
export async function recordSyncSuccess(db: DbOrTx, code: string, cursor: string, at: Date): Promise<void> {
  await db
    .update(operators)
    .set({ changeCursor: cursor, lastSyncAt: at, lastSyncError: null })
    .where(eq(operators.code, code));
}

/** A read failed: the cursor stays where it was, so the next read resumes from the same place. */
export async function recordSyncFailure(db: DbOrTx, code: string, error: unknown, at: Date): Promise<void> {
  await db
    .update(operators)
    .set({ lastSyncAt: at, lastSyncError: syncErrorText(error) })
    .where(eq(operators.code, code));
}

/** Forget the cursor (the operator reset its feed: CURSOR_EXPIRED), so the next read starts over. */
export async function resetSyncCursor(db: DbOrTx, code: string): Promise<void> {
  await db.update(operators).set({ changeCursor: null }).where(eq(operators.code, code));
}

export function syncErrorText(error: unknown): string {
  const text = isOperatorError(error) ? error.message : describeError(error);
  return text.length > OPERATOR_SYNC_ERROR_MAX ? `${text.slice(0, OPERATOR_SYNC_ERROR_MAX - 1)}…` : text;
}
