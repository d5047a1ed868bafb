import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fares } from "@/server/db/schema/fares";
import { routes } from "@/server/db/schema/network";
import { seedDatabase } from "@/server/seed/seed";
import { Cache } from "@/server/features/cache/cache";
import { createRedis } from "@/server/features/cache/redis-client";
import { searchSailingsInput } from "@/server/features/search/input";
import { searchSailings } from "@/server/features/search/sailings";
import { createTestCache, type TestCache } from "../helpers/cache";
import type { Services } from "@/server/services";
import { createTestDb, type TestDb } from "../helpers/db";
import { clockAt, testServices, withOverrides } from "../helpers/services";

/**
 * Redis coming back EMPTY (a restart without persistence) resets every version counter. Keys are built
 * from versions, and processes keep local copies of versioned entries, so without care a process that
 * never noticed the restart would find its copy from before a price change under the reset key and show
 * the old price for up to the schedule TTL. The global version restarts at a never-used epoch instead.
 */
const NOW = new Date("2027-01-04T06:00:00Z");
let t: TestDb;
let tc: TestCache;
let svc: Services;

beforeAll(async () => {
  t = await createTestDb();
  svc = testServices({ db: t.db, clock: clockAt(NOW) });
  await seedDatabase(t.db, { today: "2027-01-04", days: 20, devAdmin: null });
  tc = await createTestCache();
});
afterAll(async () => {
  await tc?.close();
  await t.destroy();
});

const input = searchSailingsInput.parse({
  from: "TUN",
  to: "MRS",
  date: "2027-01-06",
  passengers: { adults: 1 },
});
const deckPrice = async (cache: Cache) =>
  (await searchSailings(withOverrides(svc, { cache }), input)).sailings[0]!.options.find(
    (o) => o.accommodation === "DECK",
  )!.total.amount;
const flushRedis = () =>
  createRedis({ url: tc.emulator.url, token: "test-token", timeoutMs: 1_000 }).flushdb();

describe("Redis restarting empty", () => {
  it("starts the global version at a fresh epoch, the same for every process", async () => {
    await flushRedis();
    const other = new Cache(createRedis({ url: tc.emulator.url, token: "test-token", timeoutMs: 1_000 }));
    const [a, b] = await Promise.all([tc.cache.versions([]), other.versions([])]);
    expect(a!.global).toBeGreaterThanOrEqual(Date.now() - 60_000);
    expect(b!.global).toBe(a!.global);
    expect((await tc.cache.versions([]))!.global).toBe(a!.global);
  });

  it("never brings back a price from before the restart to a process that did not notice it", async () => {
    const before = await deckPrice(tc.cache);
    const [route] = await t.db
      .select({ id: routes.id })
      .from(routes)
      .where(and(eq(routes.fromPort, "TUN"), eq(routes.toPort, "MRS")));
    await t.db
      .update(fares)
      .set({ amount: before + 7_700 })
      .where(
        and(eq(fares.routeId, route!.id), eq(fares.accommodation, "DECK"), eq(fares.passengerType, "adult")),
      );
    await tc.cache.invalidateRoute("TUN", "MRS");
    expect(await deckPrice(tc.cache)).toBe(before + 7_700);

    // The restart: no call of this process fails, so its breaker (and its local copies) never notice.
    await flushRedis();
    expect(await deckPrice(tc.cache)).toBe(before + 7_700);
    expect(tc.cache.enabled).toBe(true);
  });

  it("clearAll after an empty restart does not reuse an old global version", async () => {
    await flushRedis();
    const fresh = (await tc.cache.versions([]))!.global;
    await flushRedis();
    await tc.cache.clearAll();
    const after = (await tc.cache.versions([]))!.global;
    expect(after).toBeGreaterThan(fresh);
  });
});
