import { max, sql } from "drizzle-orm";
import { workerHeartbeats } from "@/server/db/schema/ops";
import type { Services } from "@/server/services";

export interface Health {
  status: "ok" | "degraded" | "down";
  db: "ok" | "down";
  cache: "ok" | "disabled";
  worker: { lastSeenSecondsAgo: number | null };
}

const DB_TIMEOUT_MS = 2_000;

/** What /api/health reports. Only the database being down makes the app unhealthy (503). */
export async function checkHealth(svc: Services): Promise<Health> {
  const dbCheck = withTimeout(
    svc.db
      .select({ lastSeen: max(workerHeartbeats.lastSeenAt), now: sql<Date>`now()` })
      .from(workerHeartbeats),
    DB_TIMEOUT_MS,
  ).then(
    (rows) => rows[0] ?? null,
    () => undefined,
  );
  const [row, cacheState] = await Promise.all([dbCheck, svc.cache.ping()]);
  if (row === undefined)
    return { status: "down", db: "down", cache: cacheState, worker: { lastSeenSecondsAgo: null } };
  const lastSeen = row?.lastSeen ? new Date(row.lastSeen) : null;
  const now = row?.now ? new Date(row.now) : new Date();
  const ago = lastSeen ? Math.max(0, Math.round((now.getTime() - lastSeen.getTime()) / 1000)) : null;
  const workerOk = ago !== null && ago < 30;
  return {
    status: cacheState === "ok" && workerOk ? "ok" : "degraded",
    db: "ok",
    cache: cacheState,
    worker: { lastSeenSecondsAgo: ago },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("timeout")), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
