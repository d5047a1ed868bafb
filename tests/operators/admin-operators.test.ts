import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OperatorEmulator } from "../../emulators/operator/server";
import { control, startTestEmulator } from "../../emulators/operator/test-support";
import { auditLog } from "@/server/db/schema/admin";
import { operators } from "@/server/db/schema/network";
import { refreshDirectoryIfChanged } from "@/server/features/operators/admin-operators";
import { createOperatorDirectory, type OperatorDirectory } from "@/server/features/operators/directory";
import { recordSyncFailure, recordSyncSuccess } from "@/server/features/operators/sync-state";
import { seedDatabase } from "@/server/seed/seed";
import type { Services } from "@/server/services";
import { adminCaller, callerFor, cookieHeaders } from "../admin/admin-helpers";
import { createTestDb, type TestDb } from "../helpers/db";
import { testServices } from "../helpers/services";
import { KEY } from "./support";

// The admin Operators page's procedures against two real operator emulators: GNV answers any key, GRM
// only its own (so Traverse's key is refused there). The directory is built over them and handed to the
// Services as `operators`, as the app's would be.

let t: TestDb;
let gnv: OperatorEmulator;
let grm: OperatorEmulator;
let dir: OperatorDirectory;
let svc: Services;
let api: Awaited<ReturnType<typeof adminCaller>>["caller"];

beforeAll(async () => {
  t = await createTestDb({ max: 6 });
  [gnv, grm] = await Promise.all([
    startTestEmulator(),
    startTestEmulator({ code: "GRM", apiKey: "a-key-traverse-does-not-have" }),
  ]);
  const urls: Record<string, string> = { GNV: gnv.url, GRM: grm.url };
  await seedDatabase(t.db, { today: "2026-12-01", days: 1, devAdmin: null, operatorUrl: (c) => urls[c] });
  dir = await createOperatorDirectory({
    db: t.db,
    apiKeyFor: () => KEY,
    urlOverrideFor: () => undefined,
    timeoutCapMs: 1_500,
    breaker: { failureThreshold: 2, cooldownMs: 60_000 },
  });
  svc = testServices({ db: t.db, operators: dir });
  ({ caller: api } = await adminCaller(svc));
});
afterAll(async () => {
  await Promise.all([gnv.close(), grm.close(), t.destroy()]);
});
beforeEach(() => {
  gnv.reset();
  grm.reset();
});

async function row(code: string) {
  const [r] = await t.db.select().from(operators).where(eq(operators.code, code));
  return r!;
}

async function audits(action: string, code: string) {
  return t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, code)))
    .orderBy(auditLog.id);
}

describe("admin.operators.list", () => {
  it("shows every operator's settings, the breaker, this process's statistics and the change feed", async () => {
    await recordSyncSuccess(t.db, "GNV", "cursor-42", new Date("2026-12-01T07:59:00Z"));
    await recordSyncFailure(t.db, "GRM", new Error("boom"), new Date("2026-12-01T07:58:00Z"));
    const before = await api.admin.operators.list();
    expect(before.scope).toBe("process");
    expect(before.timeoutCapMs).toBeGreaterThanOrEqual(100);
    expect(before.operators.map((o) => [o.code, o.kind, o.status])).toEqual([
      ["CLN", "own", "own"],
      ["CTN", "own", "own"],
      ["GNV", "connected", "active"],
      ["GRM", "connected", "active"],
    ]);
    const ctn = before.operators.find((o) => o.code === "CTN")!;
    expect(ctn).toMatchObject({ baseUrl: null, breaker: null, stats: null, timeoutMs: null });
    const g = before.operators.find((o) => o.code === "GNV")!;
    expect(g).toMatchObject({
      enabled: true,
      timeoutMs: 1500,
      effectiveTimeoutMs: 1500,
      markupBps: 800,
      baseUrl: gnv.url,
      baseUrlSource: "row",
      urlVariable: "OPERATOR_GNV_URL",
      apiKeyVariable: "OPERATOR_GNV_API_KEY",
      breaker: { status: "closed", consecutiveFailures: 0 },
      sync: { cursor: "cursor-42", lastSyncAt: new Date("2026-12-01T07:59:00Z"), lastSyncError: null },
    });
    expect(before.operators.find((o) => o.code === "GRM")!.sync.lastSyncError).toContain("boom");

    // Two calls through GNV's guarded connector, one of them a 503: the list reflects both.
    await control(gnv, "fail-next", { operation: "routes", status: 503, count: 1 });
    await dir
      .get("GNV")!
      .routes()
      .catch(() => {});
    await dir.get("GNV")!.routes();
    const after = (await api.admin.operators.list()).operators.find((o) => o.code === "GNV")!;
    expect(after.stats).toMatchObject({ calls: 2, outcomes: { ok: 1, error: 1 }, errorRate: 0.5 });
    expect(after.stats!.p50Ms).not.toBeNull();
    expect(after.stats!.p95Ms!).toBeGreaterThanOrEqual(after.stats!.p50Ms!);
    expect(after.breaker).toMatchObject({ status: "closed", consecutiveFailures: 0 });
  });

  it("reloads this process's directory when another instance changed an operator", async () => {
    // Another app instance saved these: this process's directory still has the old reading.
    await t.db.update(operators).set({ enabled: false, markupBps: 1_111 }).where(eq(operators.code, "GRM"));
    try {
      expect(dir.entry("GRM")).toMatchObject({ status: "active", markupBps: 800 });
      const g = (await api.admin.operators.list()).operators.find((o) => o.code === "GRM")!;
      expect(g).toMatchObject({ enabled: false, status: "disabled", markupBps: 1_111 });
      expect(dir.get("GRM")).toBeUndefined();
    } finally {
      await t.db.update(operators).set({ enabled: true, markupBps: 800 }).where(eq(operators.code, "GRM"));
      await api.admin.operators.list();
    }
    expect(dir.entry("GRM")).toMatchObject({ status: "active", markupBps: 800 });
    // The same check for processes that never list (the worker): nothing changed, nothing reloaded.
    expect(await refreshDirectoryIfChanged(svc)).toBe(false);
    await t.db.update(operators).set({ timeoutMs: 700 }).where(eq(operators.code, "GNV"));
    try {
      expect(await refreshDirectoryIfChanged(svc)).toBe(true);
      expect(dir.entry("GNV")?.timeoutMs).toBe(700);
    } finally {
      await t.db.update(operators).set({ timeoutMs: 1500 }).where(eq(operators.code, "GNV"));
      await refreshDirectoryIfChanged(svc);
    }
  });

  it("never shows credentials written into a base URL", async () => {
    const url = new URL(gnv.url);
    url.username = "agent";
    url.password = "s3cret-in-url";
    await t.db.update(operators).set({ baseUrl: url.toString() }).where(eq(operators.code, "GNV"));
    try {
      await dir.refresh();
      const g = (await api.admin.operators.list()).operators.find((o) => o.code === "GNV")!;
      expect(g.baseUrl).toBe(gnv.url);
      expect(JSON.stringify(g)).not.toContain("s3cret-in-url");
    } finally {
      await t.db.update(operators).set({ baseUrl: gnv.url }).where(eq(operators.code, "GNV"));
      await dir.refresh();
    }
  });
});

describe("admin.operators.update", () => {
  it("changes enabled, timeout and markup, audits before and after, and reloads the directory", async () => {
    const updated = await api.admin.operators.update({
      code: "gnv",
      enabled: false,
      timeoutMs: 900,
      markupBps: 1_250,
    });
    try {
      expect(updated).toMatchObject({ code: "GNV", enabled: false, timeoutMs: 900, markupBps: 1_250 });
      expect(updated.status).toBe("disabled");
      expect(await row("GNV")).toMatchObject({ enabled: false, timeoutMs: 900, markupBps: 1_250 });
      // The directory was reloaded: search and booking no longer get a connector for GNV.
      expect(dir.get("GNV")).toBeUndefined();
      expect(dir.entry("GNV")).toMatchObject({ status: "disabled", timeoutMs: 900, markupBps: 1_250 });
      const [audit] = await audits("operators.update", "GNV");
      expect(audit).toMatchObject({
        entity: "operator",
        before: { enabled: true, timeoutMs: 1500, markupBps: 800 },
        after: { enabled: false, timeoutMs: 900, markupBps: 1_250 },
      });
      expect(audit!.adminUserId).not.toBeNull();
    } finally {
      await api.admin.operators.update({ code: "GNV", enabled: true, timeoutMs: 1500, markupBps: 800 });
    }
    expect(dir.get("GNV")).toBeDefined();
    // One row per change: the edit and the edit back.
    expect(await audits("operators.update", "GNV")).toHaveLength(2);
  });

  it.each([
    ["a timeout under 100 ms", { timeoutMs: 99 }, "at least 100 ms"],
    ["a timeout over OPERATOR_TIMEOUT_MS", { timeoutMs: 1_501 }, "OPERATOR_TIMEOUT_MS"],
    ["a fractional timeout", { timeoutMs: 250.5 }, "whole number of milliseconds"],
    ["a negative markup", { markupBps: -1 }, "cannot be negative"],
    ["a markup over 50 %", { markupBps: 5_001 }, "at most 5000 basis points"],
    ["nothing to change", {}, "Nothing to change"],
  ])("refuses %s with a clear message and changes nothing", async (_label, change, message) => {
    const before = await row("GNV");
    const audited = (await audits("operators.update", "GNV")).length;
    const err = await api.admin.operators.update({ code: "GNV", ...change }).then(
      () => null,
      (e: { code: string; message: string }) => e,
    );
    expect(err).toMatchObject({ code: "BAD_REQUEST" });
    expect(err!.message).toContain(message);
    expect(await row("GNV")).toEqual(before);
    expect(await audits("operators.update", "GNV")).toHaveLength(audited);
  });

  it("refuses settings for an own operator (they would do nothing) and an unknown code", async () => {
    const before = await row("CTN");
    await expect(api.admin.operators.update({ code: "CTN", markupBps: 100 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("own operator"),
    });
    expect(await row("CTN")).toEqual(before);
    expect(await audits("operators.update", "CTN")).toHaveLength(0);
    await expect(api.admin.operators.update({ code: "XYZ", enabled: false })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(api.admin.operators.update({ code: "G1", enabled: false })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("three-letter code"),
    });
  });
});

describe("admin.operators.testConnection", () => {
  it("answers ok with the time taken, through the guarded connector, and audits it", async () => {
    const before = dir.stats("GNV")!.calls;
    const r = await api.admin.operators.testConnection({ code: "GNV" });
    expect(r).toMatchObject({ code: "GNV", ok: true, via: "guarded" });
    if (!r.ok) throw new Error("unreachable");
    expect(r.routes).toBeGreaterThan(0);
    expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(gnv.calls().operations).toMatchObject({ GetRoutes: 1 });
    expect(dir.stats("GNV")!.calls).toBe(before + 1);
    const rows = await audits("operators.testConnection", "GNV");
    expect(rows.at(-1)).toMatchObject({ entity: "operator", after: { ok: true, via: "guarded" } });
  });

  it("answers the OperatorError kind: down, rate limited, refused key, breaker open", async () => {
    await control(gnv, "fail-next", { operation: "routes", status: 429, count: 1 });
    expect(await api.admin.operators.testConnection({ code: "GNV" })).toMatchObject({
      ok: false,
      kind: "rate_limited",
      status: 429,
    });

    const refused = await api.admin.operators.testConnection({ code: "GRM" });
    expect(refused).toMatchObject({ ok: false, kind: "refused", errorCode: "UNAUTHORIZED", status: 401 });
    if (refused.ok) throw new Error("unreachable");
    expect(refused.message).not.toContain(KEY);

    await control(gnv, "down", { seconds: 600 });
    for (let i = 0; i < 2; i++) {
      expect(await api.admin.operators.testConnection({ code: "GNV" })).toMatchObject({
        ok: false,
        kind: "unavailable",
        status: 503,
      });
    }
    // Two failures open this directory's breaker: the next test is not even sent.
    const calls = gnv.calls().total;
    expect(await api.admin.operators.testConnection({ code: "GNV" })).toMatchObject({
      ok: false,
      kind: "circuit_open",
    });
    expect(gnv.calls().total).toBe(calls);
    expect((await api.admin.operators.list()).operators.find((o) => o.code === "GNV")!.breaker).toMatchObject(
      { status: "open" },
    );
    const rows = await audits("operators.testConnection", "GNV");
    expect(rows.at(-1)).toMatchObject({ after: { ok: false, kind: "circuit_open" } });
  });

  it("tests a disabled operator directly (its breaker untouched); refuses own and unknown ones", async () => {
    await api.admin.operators.update({ code: "GRM", enabled: false });
    try {
      // GRM refuses Traverse's key whatever the route: the direct call reaches it all the same.
      const r = await api.admin.operators.testConnection({ code: "GRM" });
      expect(r).toMatchObject({ ok: false, via: "direct", kind: "refused", errorCode: "UNAUTHORIZED" });
      expect(grm.calls().operations).toMatchObject({ GetRoutes: 1 });
      expect(dir.stats("GRM")).toBeUndefined();
    } finally {
      await api.admin.operators.update({ code: "GRM", enabled: true });
    }
    const before = (await audits("operators.testConnection", "CTN")).length;
    await expect(api.admin.operators.testConnection({ code: "CTN" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("own operator"),
    });
    expect(await audits("operators.testConnection", "CTN")).toHaveLength(before);
    await expect(api.admin.operators.testConnection({ code: "ZZZ" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("an operator whose API key is not configured", () => {
  it("is listed as left out, and its connection test names the variable without calling it", async () => {
    const keyless = await createOperatorDirectory({
      db: t.db,
      apiKeyFor: (code) => (code === "GRM" ? undefined : KEY),
      urlOverrideFor: () => undefined,
      log: { info: () => {}, warn: () => {} },
    });
    const { caller } = await adminCaller(testServices({ db: t.db, operators: keyless }));
    const grmRow = (await caller.admin.operators.list()).operators.find((o) => o.code === "GRM")!;
    expect(grmRow).toMatchObject({ status: "missing_api_key", breaker: null, stats: null });
    const r = await caller.admin.operators.testConnection({ code: "GRM" });
    expect(r).toMatchObject({ ok: false, via: "none", kind: "missing_api_key" });
    if (r.ok) throw new Error("unreachable");
    expect(r.message).toContain("OPERATOR_GRM_API_KEY is not set");
    expect(grm.calls().total).toBe(0);
  });
});

describe("who may call them", () => {
  it("refuses strangers and check-in staff, and changes nothing", async () => {
    const before = await row("GNV");
    const stranger = callerFor(svc, cookieHeaders()).caller;
    const { caller: quay } = await adminCaller(svc, "quay", "checkin");
    for (const [who, code] of [
      [stranger, "UNAUTHORIZED"],
      [quay, "FORBIDDEN"],
    ] as const) {
      await expect(who.admin.operators.list()).rejects.toMatchObject({ code });
      await expect(who.admin.operators.update({ code: "GNV", enabled: false })).rejects.toMatchObject({
        code,
      });
      await expect(who.admin.operators.testConnection({ code: "GNV" })).rejects.toMatchObject({ code });
    }
    expect(await row("GNV")).toEqual(before);
    expect(gnv.calls().total).toBe(0);
  });
});
