import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signOperatorPayload } from "../../emulators/operator/signature";
import { control, T0 } from "../../emulators/operator/test-support";
import { DEVELOPMENT_OPERATOR_WEBHOOK_SECRET } from "@/env";
import { invalidateAfterCapacityChange } from "@/server/features/booking/cache-effects";
import { clearAllCache, clearRouteCache } from "@/server/features/cache/admin";
import { syncOperatorChanges } from "@/server/features/operators/change-sync";
import { readSyncState } from "@/server/features/operators/sync-state";
import { searchSailings } from "@/server/features/search/sailings";
import type { Services } from "@/server/services";
import { actorOf, makeAdmin } from "../admin/admin-helpers";
import { buildTaskList, crontab } from "../../worker/task-list";
import { useAsAppServices } from "../helpers/services";
import { type ConnectedWorld, openConnectedWorld, searchInput } from "./connected-world";

/**
 * Each way a connected operator's cached answer is invalidated — the change feed (sync_operator_changes),
 * a signed push, an admin "clear route" and "clear all" — in four steps: warm the cache, prove the next
 * search is a hit (the operator's fare has changed, the search still shows the old one and makes no
 * upstream call), trigger, and see the new fare from a fresh call.
 */
let w: ConnectedWorld;
let svc: Services;
let restore: () => void;
let POST: (req: Request, ctx: { params: Promise<{ code: string }> }) => Promise<Response>;
beforeAll(async () => {
  w = await openConnectedWorld();
  svc = await w.services();
  restore = useAsAppServices(svc);
  ({ POST } = await import("@/app/api/webhooks/operators/[code]/route"));
});
afterAll(async () => {
  restore();
  await w.close();
});
beforeEach(async () => {
  await control(w.gnv, "reset", {});
  await svc.cache.clearAll();
});

const SAILING = "GNV-TUNGOA-20261210-2000";
const deck = async () => {
  const res = await searchSailings(svc, searchInput());
  const s = res.sailings.find((x) => x.id === `GNV:${SAILING}`)!;
  return {
    amount: s.options.find((o) => o.accommodation === "DECK")!.total.amount,
    status: res.operators.find((o) => o.code === "GNV")!.status,
  };
};

/** Warm, then change the fare at the operator and prove the cache still answers with the old one. */
async function warmAndProveHit() {
  const warm = await deck();
  const calls = await w.getSailingsCalls(w.gnv);
  const reply = await control<{ change: unknown }>(w.gnv, "set-fare", { sailingId: SAILING, base: 30_000 });
  expect(reply.status).toBe(200);
  const hit = await deck();
  expect(hit).toEqual({ amount: warm.amount, status: "cached" });
  expect(await w.getSailingsCalls(w.gnv)).toBe(calls);
  return { warm, calls, change: reply.body.change };
}

async function expectFresh(before: { warm: { amount: number }; calls: number }) {
  const fresh = await deck();
  expect(fresh.status).toBe("ok");
  expect(fresh.amount).toBeGreaterThan(before.warm.amount);
  expect(await w.getSailingsCalls(w.gnv)).toBe(before.calls + 1);
}

describe("connected operators' cache invalidation", () => {
  it("the change feed (sync_operator_changes) bumps the route and stores the cursor", async () => {
    await svc.db.execute(sql`update operators set change_cursor = null where code = 'GNV'`);
    const before = await warmAndProveHit();
    const results = await syncOperatorChanges(svc);
    expect(results.find((r) => r.operator === "GNV")).toMatchObject({ changes: 1 });
    await expectFresh(before);
    const state = await readSyncState(svc.db, "GNV");
    expect(state?.cursor).toBeTruthy();
    expect(state?.lastSyncAt?.getTime()).toBe(T0);
    // Read again from the stored cursor: nothing new.
    expect((await syncOperatorChanges(svc)).find((r) => r.operator === "GNV")).toMatchObject({ changes: 0 });
  });

  it("the worker runs the feed read every minute", () => {
    expect(crontab).toMatch(/^\* \* \* \* \* sync_operator_changes\b/m);
    expect(typeof buildTaskList(svc).sync_operator_changes).toBe("function");
  });

  it("a signed push does the same; an unsigned or badly signed one changes nothing", async () => {
    const before = await warmAndProveHit();
    const body = JSON.stringify(before.change);
    const push = (signature: string | null, code = "GNV") =>
      POST(
        new Request(`http://localhost/api/webhooks/operators/${code}`, {
          method: "POST",
          headers: signature ? { "x-operator-signature": signature } : {},
          body,
        }),
        { params: Promise.resolve({ code }) },
      );
    const t = Math.floor(T0 / 1000);
    expect((await push(null)).status).toBe(400);
    expect((await push(signOperatorPayload(body, "not-the-secret", t))).status).toBe(400);
    expect(
      (await push(signOperatorPayload(body, DEVELOPMENT_OPERATOR_WEBHOOK_SECRET, t), "CTN")).status,
    ).toBe(400);
    expect(await deck()).toEqual({ amount: before.warm.amount, status: "cached" });
    const ok = await push(signOperatorPayload(body, DEVELOPMENT_OPERATOR_WEBHOOK_SECRET, t));
    expect(ok.status).toBe(200);
    await expectFresh(before);
  });

  it("a confirmed or cancelled booking on a connected sailing reaches the operator's entries", async () => {
    // The booking's leg is the shadow row of the operator's sailing (features/booking/shadow-sailing.ts).
    const [shadow] = await w.t.sql<{ id: number }[]>`
      insert into sailings (route_id, vessel_id, departure_at, arrival_at, operator_sailing_id)
      select r.id, (select id from vessels order by id limit 1), '2026-12-10T19:00:00Z', '2026-12-11T19:00:00Z', ${SAILING}
      from routes r where r.operator_code = 'GNV' and r.from_port = 'TUN' and r.to_port = 'GOA'
      returning id`;
    const before = await warmAndProveHit();
    // A capacity change alone (a hold) drops the sailing's availability (asked again) but keeps the
    // route's fares.
    await invalidateAfterCapacityChange(svc, [shadow!.id], { routes: false });
    expect((await deck()).amount).toBe(before.warm.amount);
    const calls = await w.getSailingsCalls(w.gnv);
    expect(calls).toBe(before.calls + 1);
    // Confirm and cancel also bump the route: the next search asks the operator for its fares again.
    await invalidateAfterCapacityChange(svc, [shadow!.id], { routes: true });
    await expectFresh({ ...before, calls });
  });

  it("admin clear route reaches the operator's entries", async () => {
    const admin = actorOf(await makeAdmin(svc));
    const before = await warmAndProveHit();
    await clearRouteCache(svc, admin, { from: "TUN", to: "GOA" });
    await expectFresh(before);
  });

  it("admin clear all reaches the operator's entries", async () => {
    const admin = actorOf(await makeAdmin(svc));
    const before = await warmAndProveHit();
    await clearAllCache(svc, admin);
    await expectFresh(before);
  });

  it("a sailing the operator cancels queues operator_sailing_cancelled with ids only, once", async () => {
    await svc.db.execute(sql`update operators set change_cursor = null where code = 'GNV'`);
    await control(w.gnv, "cancel-sailing", { sailingId: SAILING, reason: "weather" });
    await syncOperatorChanges(svc);
    await svc.db.execute(sql`update operators set change_cursor = null where code = 'GNV'`);
    await syncOperatorChanges(svc); // the same change read twice
    // The payload is not in the public view; read it as tests/jobs.test.ts does.
    const jobs = await svc.db.execute<{ key: string; payload: unknown }>(
      sql`select j.key, p.payload from graphile_worker.jobs j join graphile_worker._private_jobs p using (id)
          where j.task_identifier = 'operator_sailing_cancelled'`,
    );
    expect(jobs.map((j) => j.payload)).toEqual([{ operator: "GNV", operatorSailingId: SAILING }]);
    expect(jobs[0]!.key).toBe(`operator-sailing-cancelled:GNV:${SAILING}`);
    const after = await searchSailings(svc, searchInput());
    expect(after.sailings.find((x) => x.id === `GNV:${SAILING}`)!.cancelled).toBe(true);
  });
});
