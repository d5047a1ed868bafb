import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeRateLimit, pruneRateLimits, type RateLimit } from "@/server/features/security/rate-limit";
import { AppError } from "@/server/lib/errors";
import { enqueue } from "@/server/lib/jobs";
import type { WorkerHandle } from "../../worker/runner";
import { crontab } from "../../worker/task-list";
import { createTestDb, type TestDb } from "../helpers/db";
import { startTestWorker } from "../helpers/email-fixtures";
import { svcAt, testServices } from "../helpers/services";

/**
 * `src/server/features/security/rate-limit.ts` against real Postgres, with the clock injected: the
 * sliding-window estimate, retry-after, the language of the refusal, and pruning by the minute sweep.
 */
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t?.destroy());

const rule: RateLimit = { name: "test.rule", limit: 3, windowSeconds: 60 };
/** A window start far from "now", so nothing else in the database shares these windows. */
const base = new Date("2031-03-03T10:00:00.000Z");
const at = (seconds: number) => new Date(base.getTime() + seconds * 1000);

async function attempt(subject: string, when: Date, locale?: "en" | "fr" | "ar"): Promise<AppError | null> {
  try {
    await consumeRateLimit(t.db, rule, subject, when, locale);
    return null;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

describe("consumeRateLimit", () => {
  it("allows the limit, then refuses with RATE_LIMITED, the limit and when to come back", async () => {
    for (let i = 0; i < 3; i++) expect(await attempt("a", at(10))).toBeNull();
    const e = await attempt("a", at(10));
    expect(e?.code).toBe("TOO_MANY_REQUESTS");
    expect(e?.httpStatus).toBe(429);
    expect(e?.details).toMatchObject({ reason: "RATE_LIMITED", limit: "ATTEMPTS", max: 3 });
    // 4 hits in this window: it must become the previous window and weigh (1 - 2/4) of itself or less.
    expect(e?.details?.retryAfterSeconds).toBe(50 + 30);
    expect(e?.message).toBe("Too many attempts from your connection. Try again in 2 minutes.");
  });

  it("refuses a burst that straddles a window boundary (a fixed window would allow twice the limit)", async () => {
    expect(await attempt("b", at(59))).toBeNull();
    expect(await attempt("b", at(59))).toBeNull();
    expect(await attempt("b", at(61))).toBeNull(); // 1 + 2 × 59/60 = 2.97
    const e = await attempt("b", at(61)); // 2 + 2 × 59/60 = 3.97
    expect(e?.details?.reason).toBe("RATE_LIMITED");
  });

  it("lets the next hit through exactly when retry-after says, not before", async () => {
    const history = async (subject: string) => {
      for (let i = 0; i < 3; i++) await attempt(subject, at(130));
      return (await attempt(subject, at(130)))?.details?.retryAfterSeconds as number;
    };
    const wait = await history("c1");
    await history("c2");
    expect(wait).toBeGreaterThan(0);
    expect(await attempt("c1", at(130 + wait - 2))).not.toBeNull();
    expect(await attempt("c2", at(130 + wait))).toBeNull();
  });

  it("speaks the caller's language", async () => {
    for (let i = 0; i < 3; i++) await attempt("d", at(250));
    expect((await attempt("d", at(250), "fr"))?.message).toBe(
      "Trop de tentatives depuis votre connexion. Réessayez dans 2 minutes.",
    );
    expect((await attempt("d", at(250), "ar"))?.message).toBe(
      "محاولات كثيرة من اتصالك. أعد المحاولة بعد دقيقتين.",
    );
  });

  it("stores the subject only as a keyed hash", async () => {
    await attempt("someone@example.com", at(10));
    await attempt("203.0.113.99", at(10));
    const rows = await t.db.execute<{ key: string }>(sql`select key from rate_limits`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.key).toMatch(/^test\.rule:[0-9a-f]{32}$/);
      expect(r.key).not.toContain("example.com");
      expect(r.key).not.toContain("203.0.113");
    }
  });
});

describe("pruning", () => {
  it("drops rows once their window no longer counts, keeps the rest", async () => {
    const prune = { name: "test.prune", limit: 5, windowSeconds: 60 } satisfies RateLimit;
    await consumeRateLimit(t.db, prune, "p", at(3600)); // window [3600, 3660), counts until 3720
    const keys = async () =>
      (
        await t.db.execute<{ n: number }>(
          sql`select count(*)::int as n from rate_limits where key like 'test.prune:%'`,
        )
      )[0]!.n;
    await pruneRateLimits(svcAt(testServices({ db: t.db }), at(3719)));
    expect(await keys()).toBe(1);
    // Still needed as the "previous window" until 3720, so not pruned before.
    await pruneRateLimits(svcAt(testServices({ db: t.db }), at(3720)));
    expect(await keys()).toBe(0);
  });

  it("is run by the minute sweep, which is on the crontab", async () => {
    expect(crontab).toMatch(/^\* \* \* \* \* expire_holds_sweep\b/m);
    const old = new Date(Date.now() - 3 * 3600_000);
    await consumeRateLimit(t.db, rule, "stale", old);
    await consumeRateLimit(t.db, rule, "fresh", new Date());
    const count = async () =>
      (
        await t.db.execute<{ n: number }>(
          sql`select count(*)::int as n from rate_limits where expires_at <= now()`,
        )
      )[0]!.n;
    expect(await count()).toBeGreaterThan(0);
    let worker: WorkerHandle | undefined;
    try {
      worker = await startTestWorker(testServices({ db: t.db }), t.url, 1);
      await enqueue(t.db, "expire_holds_sweep", {});
      const deadline = Date.now() + 15_000;
      while ((await count()) > 0) {
        if (Date.now() > deadline) throw new Error("the sweep did not prune expired rate-limit rows");
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await worker?.stop();
    }
    const [live] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from rate_limits where expires_at > now()`,
    );
    expect(live!.n).toBeGreaterThan(0);
  });
});
