import { type OperatorEmulator, startOperatorEmulator } from "../../emulators/operator/server";
import { control, T0 } from "../../emulators/operator/test-support";
import { createOperatorDirectory, type OperatorDirectory } from "@/server/features/operators/directory";
import { searchSailingsInput } from "@/server/features/search/input";
import { seedDatabase } from "@/server/seed/seed";
import type { Services } from "@/server/services";
import { createTestCache, type TestCache } from "../helpers/cache";
import { createTestDb, type TestDb } from "../helpers/db";
import { clockAt, testServices } from "../helpers/services";

/**
 * A seeded database, the GNV and GRM operator emulators in this process (frozen clock at T0, no latency,
 * no rate limit: tests that need them set them through the control API) and a cache on a fresh Redis
 * namespace. `services()` builds a new process's Services on them: its own directory (breakers, call
 * statistics) and process-local state, sharing `cache` unless given another.
 */
export interface ConnectedWorld {
  t: TestDb;
  tc: TestCache;
  gnv: OperatorEmulator;
  grm: OperatorEmulator;
  now: Date;
  services(opts?: { cache?: TestCache["cache"]; timeoutMs?: number }): Promise<Services>;
  /** GetSailings calls the emulator answered (or began answering) since its last reset. */
  getSailingsCalls(emu: OperatorEmulator): Promise<number>;
  close(): Promise<void>;
}

export const TODAY = "2026-12-01";
/** GNV sails TUN→GOA on Tue/Thu/Sun at 20:00 Tunis time; GRM TUN→CIV on Wed/Sun at 19:30. */
export const GNV_DAY = "2026-12-10";
export const GRM_DAY = "2026-12-09";

export async function openConnectedWorld(): Promise<ConnectedWorld> {
  const t = await createTestDb();
  await seedDatabase(t.db, { today: TODAY, days: 30, devAdmin: null });
  const opts = { latency: null, rateLimit: null, now: () => T0 } as const;
  const [gnv, grm] = await Promise.all([
    startOperatorEmulator({ code: "GNV", ...opts }),
    startOperatorEmulator({ code: "GRM", ...opts }),
  ]);
  // Redis (its emulator) runs in this test process: a burst of 100 searches can hold its answers past the
  // default 1 s on a loaded machine, which would open the cache's breaker and test something else.
  const tc = await createTestCache({ timeoutMs: 3_000 });
  const urls: Record<string, string> = { GNV: gnv.url, GRM: grm.url };
  const now = new Date(T0);
  return {
    t,
    tc,
    gnv,
    grm,
    now,
    async services(o = {}) {
      const directory: OperatorDirectory = await createOperatorDirectory({
        db: t.db,
        clock: () => now.getTime(),
        apiKeyFor: () => "test-key",
        urlOverrideFor: (code) => urls[code],
        timeoutCapMs: o.timeoutMs ?? 1_500,
      });
      return testServices({
        db: t.db,
        cache: o.cache ?? tc.cache,
        clock: clockAt(now),
        operators: directory,
      });
    },
    async getSailingsCalls(emu) {
      const reply = await control<{ operations: Record<string, number> }>(emu, "calls");
      return reply.body.operations.GetSailings ?? 0;
    },
    async close() {
      await Promise.all([gnv.close(), grm.close(), tc.close()]);
      await t.destroy();
    },
  };
}

export const searchInput = (over: Record<string, unknown> = {}) =>
  searchSailingsInput.parse({ from: "TUN", to: "GOA", date: GNV_DAY, passengers: { adults: 2 }, ...over });
