import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/server/db/schema/admin";
import { cacheStats, clearAllCache, clearRouteCache } from "@/server/features/cache/admin";
import type { Services } from "@/server/services";
import { actorOf, makeAdmin } from "../admin/admin-helpers";
import { createDeadCache, createTestCache, type TestCache } from "../helpers/cache";
import { createTestDb, type TestDb } from "../helpers/db";
import { testServices, withOverrides } from "../helpers/services";

/**
 * The admin cache panel: each clear changes exactly the version it should in Redis, says whether the
 * cache is on, and leaves an audit row naming what was cleared.
 */
let t: TestDb;
let tc: TestCache;
let svc: Services;
let actor: ReturnType<typeof actorOf>;
beforeAll(async () => {
  t = await createTestDb();
  tc = await createTestCache({ now: () => 6_000_000 });
  svc = testServices({ db: t.db, cache: tc.cache });
  actor = actorOf(await makeAdmin(svc, "cache-panel"));
});
afterAll(async () => {
  await tc.close();
  await t.destroy();
});
const auditOf = async (action: string) =>
  (await t.db.select().from(auditLog).where(eq(auditLog.action, action))).map((a) => ({
    adminUserId: a.adminUserId,
    entity: a.entity,
    entityId: a.entityId,
    after: a.after,
  }));

describe("admin cache panel", () => {
  it("clearing a route bumps that route's version only, and is audited", async () => {
    expect(await clearRouteCache(svc, actor, { from: "TUN", to: "MRS" })).toEqual({
      cleared: "TUN-MRS",
      enabled: true,
    });
    expect((await tc.cache.versions(["TUN-MRS", "MRS-TUN"]))!.routes).toEqual([1, 0]);
    expect(await auditOf("cache.clearRoute")).toEqual([
      { adminUserId: actor.userId, entity: "cache", entityId: "TUN-MRS", after: { enabled: true } },
    ]);
  });

  it("clearing everything bumps the global version, and is audited", async () => {
    const before = (await tc.cache.versions([]))!.global;
    expect(await clearAllCache(svc, actor)).toEqual({ cleared: "*", enabled: true });
    expect((await tc.cache.versions([]))!.global).toBe(before + 1);
    expect(await auditOf("cache.clearAll")).toEqual([
      { adminUserId: actor.userId, entity: "cache", entityId: "*", after: { enabled: true } },
    ]);
  });

  it("with Redis down the clears still answer, say the cache is off, and are audited", async () => {
    const dead = createDeadCache({ breakerCooldownMs: 60_000 });
    const off = withOverrides(svc, { cache: dead });
    expect(await clearRouteCache(off, actor, { from: "GOA", to: "TUN" })).toEqual({
      cleared: "GOA-TUN",
      enabled: false,
    });
    expect(await clearAllCache(off, actor)).toEqual({ cleared: "*", enabled: false });
    expect((await auditOf("cache.clearRoute")).at(-1)).toMatchObject({
      entityId: "GOA-TUN",
      after: { enabled: false },
    });
  });

  it("statistics are the cache's own", async () => {
    await tc.cache.getOrLoad("availability", "avail:1:1", async () => 1);
    await tc.cache.getOrLoad("availability", "avail:1:1", async () => 1);
    const stats = await cacheStats(svc);
    expect(stats.byKind.availability).toEqual({ hits: 1, misses: 1 });
    expect(stats.enabled).toBe(true);
  });
});
