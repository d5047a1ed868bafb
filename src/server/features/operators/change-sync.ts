import { eq } from "drizzle-orm";
import { operatorWebhookSecret } from "@/env";
import { verifyOperatorSignature } from "../../../../emulators/operator/signature";
import type { DbOrTx } from "@/server/db/client";
import { routes } from "@/server/db/schema/network";
import { AppError } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import type { Services } from "@/server/services";
import type { OperatorChange } from "./connector";
import { parsePushedChange } from "./ferrygateway-json-wire";
import { isRefusal } from "./operator-error";
import { readSyncState, recordSyncFailure, recordSyncSuccess, resetSyncCursor } from "./sync-state";

/**
 * A connected operator's changes (schedule moves, cancellations, fares) reach Traverse two ways: the
 * `sync_operator_changes` cron task reads each operator's change feed every minute from its stored cursor,
 * and the operator may push each change to `POST /api/webhooks/operators/<code>` as it happens. Both apply
 * it the same way, and applying one twice is harmless: the operator's share of the route pair is bumped
 * (its cached schedules and fares are read afresh), the sailing's cached places are dropped, and a
 * cancelled sailing queues `operator_sailing_cancelled` (deduplicated by its job key) so the bookings on
 * it get their notice and refund. Pushes may arrive late, twice or out of order; the feed is the truth.
 */

/** Pages read per operator per run: a backlog larger than this is finished by the next runs. */
const MAX_PAGES = 20;
const PAGE_SIZE = 100;

/** Drops what the changes make stale in the cache. Safe to repeat. */
export async function invalidateForChanges(svc: Services, code: string, changes: OperatorChange[]) {
  const pairs = new Map(changes.map((c) => [`${c.from}-${c.to}`, c]));
  const refs = [
    ...new Set(changes.flatMap((c) => ("sailingRef" in c && c.sailingRef ? [c.sailingRef] : []))),
  ];
  await Promise.all([
    ...[...pairs.values()].map((c) => svc.cache.invalidateOperatorRoute(code, c.from, c.to)),
    svc.cache.invalidateOperatorAvailability(code, refs),
  ]);
}

/** Queues the follow-up of cancelled sailings, in the caller's transaction. */
export async function enqueueCancellations(db: DbOrTx, code: string, changes: OperatorChange[]) {
  for (const c of changes) {
    if (c.type !== "SAILING_CANCELLED") continue;
    await enqueue(
      db,
      "operator_sailing_cancelled",
      { operator: code, operatorSailingId: c.sailingRef },
      { jobKey: `operator-sailing-cancelled:${code}:${c.sailingRef}` },
    );
  }
}

export interface SyncResult {
  operator: string;
  changes: number;
  error?: string;
}

/** One read of every connected operator's feed; one operator failing does not stop the others. */
export async function syncOperatorChanges(svc: Services): Promise<SyncResult[]> {
  const directory = await svc.operators();
  return Promise.all(directory.connected().map(({ entry }) => syncOne(svc, entry.code)));
}

async function syncOne(svc: Services, code: string): Promise<SyncResult> {
  const connector = (await svc.operators()).get(code);
  if (!connector) return { operator: code, changes: 0 };
  let cursor = (await readSyncState(svc.db, code))?.cursor ?? null;
  let count = 0;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await connector.changes(cursor, PAGE_SIZE);
      await invalidateForChanges(svc, code, res.changes);
      await svc.db.transaction(async (tx) => {
        await enqueueCancellations(tx, code, res.changes);
        await recordSyncSuccess(tx, code, res.nextCursor, svc.clock.now());
      });
      count += res.changes.length;
      cursor = res.nextCursor;
      if (!res.hasMore) break;
    }
    return { operator: code, changes: count };
  } catch (e) {
    if (isRefusal(e, "CURSOR_EXPIRED")) {
      // The operator reset its feed: changes may have been missed, so everything of it cached is stale.
      await resetSyncCursor(svc.db, code);
      await invalidateOperatorRoutes(svc, code);
    }
    await recordSyncFailure(svc.db, code, e, svc.clock.now());
    svc.log.warn("operator change feed not read", { operator: code });
    return { operator: code, changes: count, error: "failed" };
  }
}

/** Every route pair the operator sails, bumped: its cached schedules and fares are all read afresh. */
export async function invalidateOperatorRoutes(svc: Services, code: string) {
  const rows = await svc.db
    .select({ from: routes.fromPort, to: routes.toPort })
    .from(routes)
    .where(eq(routes.operatorCode, code));
  await Promise.all(rows.map((r) => svc.cache.invalidateOperatorRoute(code, r.from, r.to)));
}

/**
 * A change the operator pushed: signature checked against the raw body first (nothing is parsed before),
 * then applied like a feed read. Unknown or own operators, bad signatures and malformed bodies are 400s.
 */
export async function receiveOperatorPush(
  svc: Services,
  input: { code: string; rawBody: string; signature: string | null },
): Promise<{ received: true; change: string }> {
  const code = input.code.toUpperCase();
  const directory = await svc.operators();
  const secret = operatorWebhookSecret(code);
  if (!/^[A-Z]{3}$/.test(code) || !directory.get(code) || !secret)
    throw new AppError("BAD_REQUEST", "No connected operator pushes to this address.");
  const check = verifyOperatorSignature(input.rawBody, input.signature, secret, {
    nowMs: svc.clock.now().getTime(),
  });
  if (!check.ok) throw new AppError("BAD_REQUEST", `Signature ${check.reason}.`);
  let change: OperatorChange;
  try {
    change = parsePushedChange(JSON.parse(input.rawBody));
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not a change this endpoint understands.");
  }
  await invalidateForChanges(svc, code, [change]);
  await enqueueCancellations(svc.db, code, [change]);
  return { received: true, change: change.id };
}
