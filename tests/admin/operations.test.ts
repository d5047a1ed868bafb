import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueEmail } from "@/server/features/email/outbox";
import { enqueue } from "@/server/lib/jobs";
import { createTestCache, type TestCache } from "../helpers/cache";
import { createTestDb, type TestDb } from "../helpers/db";
import { adminCaller } from "./admin-helpers";
import { testServices } from "../helpers/services";

let t: TestDb;
let tc: TestCache;
let api: Awaited<ReturnType<typeof adminCaller>>["caller"];
let adminEmail: string;
beforeAll(async () => {
  t = await createTestDb();
  tc = await createTestCache();
  const r = await adminCaller(testServices({ db: t.db, cache: tc.cache }));
  api = r.caller;
  adminEmail = r.admin.email;
});
afterAll(async () => {
  await tc.close();
  await t.destroy();
});

describe("cache panel", () => {
  it("reports hits and misses, and clearing a route or everything is audited", async () => {
    await tc.cache.read("k:1", async () => 1, { kind: "schedule" });
    await tc.cache.read("k:1", async () => 1, { kind: "schedule" });
    const stats = await api.admin.cache.stats();
    expect(stats).toMatchObject({ enabled: true, hits: 1, misses: 1, hitRate: 0.5 });
    expect(stats.series.length).toBeGreaterThan(0);

    const before = await tc.cache.versions(["TUN-MRS"]);
    await api.admin.cache.clearRoute({ from: "tun", to: "mrs" });
    const after = await tc.cache.versions(["TUN-MRS"]);
    expect(after!.routes[0]).toBe(before!.routes[0]! + 1);
    await api.admin.cache.clearAll();
    expect((await tc.cache.versions([]))!.global).toBe(before!.global + 1);

    const audit = await api.admin.audit.list({ entity: "cache" });
    expect(audit.items.map((i) => i.action)).toEqual(["cache.clearAll", "cache.clearRoute"]);
    expect(audit.items[0]!.admin?.email).toBe(adminEmail);
  });
});

describe("email outbox", () => {
  it("lists by status with counts and pagination", async () => {
    for (let i = 0; i < 3; i++) {
      await queueEmail(t.db, {
        kind: "booking_confirmed",
        bookingId: null,
        recipient: `ops${i}@example.com`,
        locale: "en",
        dedupeKey: `ops-test:${i}`,
      });
    }
    await t.db.execute(
      sql`update email_outbox set status = 'FAILED', last_error = '422 bad address' where recipient = 'ops0@example.com'`,
    );
    const failed = await api.admin.emails.list({ status: "FAILED" });
    expect(failed.items.map((i) => i.recipient)).toEqual(["ops0@example.com"]);
    expect(failed.items[0]!.lastError).toBe("422 bad address");
    expect(failed.counts).toMatchObject({ FAILED: 1, QUEUED: 2, SENT: 0 });
    const page = await api.admin.emails.list({ pageSize: 2, page: 2 });
    expect(page).toMatchObject({ total: 3, page: 2 });
    expect(page.items).toHaveLength(1);
    expect((await api.admin.emails.list({ recipient: "OPS2@" })).total).toBe(1);
  });
});

describe("job queue", () => {
  it("shows depth per task, lists failed jobs with their last error, and retries one", async () => {
    await enqueue(t.db, "noop", { note: "ready" });
    await enqueue(t.db, "noop", { note: "later" }, { runAt: new Date(Date.now() + 3600_000) });
    await enqueue(t.db, "noop", { note: "doomed" }, { jobKey: "ops-doomed" });
    await t.db.execute(
      sql`select graphile_worker.permanently_fail_jobs(array(select id from graphile_worker.jobs where key = 'ops-doomed'), 'Stripe said no')`,
    );
    const stats = await api.admin.jobs.stats();
    const noop = stats.tasks.find((r) => r.task === "noop")!;
    expect(noop).toMatchObject({ ready: 1, scheduled: 1, failed: 1, running: 0 });

    const failed = await api.admin.jobs.failed({});
    expect(failed.items).toEqual([
      expect.objectContaining({
        task: "noop",
        state: "FAILED",
        lastError: "Stripe said no",
        key: "ops-doomed",
      }),
    ]);
    const retried = await api.admin.jobs.retry({ jobId: failed.items[0]!.id });
    expect(retried).toMatchObject({ task: "noop", status: "QUEUED" });
    expect((await api.admin.jobs.failed({})).total).toBe(0);
    expect((await api.admin.jobs.stats()).tasks.find((r) => r.task === "noop")).toMatchObject({
      ready: 2,
      failed: 0,
    });
    await expect(api.admin.jobs.retry({ jobId: "999999999" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const audit = await api.admin.audit.list({ action: "jobs.retry" });
    expect(audit.items[0]).toMatchObject({ entity: "job", entityId: failed.items[0]!.id });
  });
});
