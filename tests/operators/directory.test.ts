import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OperatorEmulator } from "../../emulators/operator/server";
import { control, startTestEmulator } from "../../emulators/operator/test-support";
import { operators } from "../../src/server/db/schema/network";
import { seedDatabase } from "@/server/seed/seed";
import {
  createOperatorDirectory,
  type OperatorDirectoryOptions,
} from "../../src/server/features/operators/directory";
import { OperatorError } from "../../src/server/features/operators/operator-error";
import {
  readSyncState,
  recordSyncFailure,
  recordSyncSuccess,
  resetSyncCursor,
} from "../../src/server/features/operators/sync-state";
import { pgErrorCode } from "../../src/server/lib/errors";
import { createTestDb, type TestDb } from "../helpers/db";
import { failure, KEY, PARTY } from "./support";

// The directory over real operator rows (seeded, then edited like an admin would) and two real operator
// emulators; the operators table's CHECKs; the change-feed bookkeeping.

let t: TestDb;
let gnv: OperatorEmulator;
let grm: OperatorEmulator;
const lines: string[] = [];
const capture = {
  info: (msg: string, fields?: Record<string, unknown>) =>
    lines.push(`INFO ${msg} ${JSON.stringify(fields ?? {})}`),
  warn: (msg: string, fields?: Record<string, unknown>) =>
    lines.push(`WARN ${msg} ${JSON.stringify(fields ?? {})}`),
};
const clock = { now: Date.parse("2026-12-01T08:00:00Z") };

beforeAll(async () => {
  t = await createTestDb({ max: 4 });
  [gnv, grm] = await Promise.all([startTestEmulator(), startTestEmulator({ code: "GRM" })]);
  const urls: Record<string, string> = { GNV: gnv.url, GRM: grm.url };
  await seedDatabase(t.db, {
    today: "2026-12-01",
    days: 1,
    devAdmin: null,
    operatorUrl: (code) => urls[code],
  });
});
afterAll(async () => {
  await Promise.all([gnv.close(), grm.close(), t.destroy()]);
});
beforeEach(() => {
  lines.length = 0;
  gnv.reset();
  grm.reset();
});

function directory(extra: Partial<OperatorDirectoryOptions> = {}) {
  return createOperatorDirectory({
    db: t.db,
    clock: () => clock.now,
    log: capture,
    apiKeyFor: () => KEY,
    urlOverrideFor: () => undefined,
    timeoutCapMs: 1_500,
    breaker: { failureThreshold: 2, cooldownMs: 60_000 },
    ...extra,
  });
}

async function setRow(code: string, values: Partial<typeof operators.$inferInsert>) {
  await t.db.update(operators).set(values).where(eq(operators.code, code));
}

describe("seed", () => {
  it("marks GNV and GRM connected with the given base URLs and leaves CTN and CLN own", async () => {
    const rows = await t.db.select().from(operators).orderBy(operators.code);
    expect(rows.map((r) => [r.code, r.kind, r.baseUrl])).toEqual([
      ["CLN", "own", null],
      ["CTN", "own", null],
      ["GNV", "connected", gnv.url],
      ["GRM", "connected", grm.url],
    ]);
    expect(rows.every((r) => r.enabled && r.markupBps === 800 && r.timeoutMs === 1500)).toBe(true);
  });

  it("never overwrites an operator already configured, and leaves one without a URL own", async () => {
    await seedDatabase(t.db, {
      today: "2026-12-01",
      days: 1,
      devAdmin: null,
      operatorUrl: () => "http://elsewhere:1",
    });
    const [row] = await t.db.select().from(operators).where(eq(operators.code, "GNV"));
    expect(row!.baseUrl).toBe(gnv.url);

    const other = await createTestDb({ max: 2 });
    try {
      await seedDatabase(other.db, {
        today: "2026-12-01",
        days: 1,
        devAdmin: null,
        operatorUrl: () => undefined,
      });
      const kinds = await other.db.select({ code: operators.code, kind: operators.kind }).from(operators);
      expect(kinds.every((k) => k.kind === "own")).toBe(true);
    } finally {
      await other.destroy();
    }
  });
});

describe("operator directory", () => {
  it("gives each enabled connected operator a working connector, and own operators none", async () => {
    const dir = await directory();
    expect(dir.connected().map((c) => c.entry.code)).toEqual(["GNV", "GRM"]);
    expect(dir.kind("CTN")).toBe("own");
    expect(dir.get("CTN")).toBeUndefined();
    expect(dir.entry("CTN")).toMatchObject({ status: "own", baseUrl: null, timeoutMs: null });
    expect(dir.kind("GNV")).toBe("connected");
    expect(dir.entry("GNV")).toMatchObject({
      status: "active",
      baseUrl: gnv.url,
      baseUrlSource: "row",
      timeoutMs: 1500,
    });
    expect(dir.get("XXX")).toBeUndefined();

    const offers = await dir.get("GNV")!.sailings({ from: "TUN", to: "GOA" }, "2026-12-10", PARTY);
    expect(offers[0]?.operatorCode).toBe("GNV");
    const civ = await dir.get("GRM")!.sailings({ from: "TUN", to: "CIV" }, "2026-12-06", PARTY);
    expect(civ[0]?.sailingRef).toBe("GRM-TUNCIV-20261206-1930");
    expect(gnv.calls().total).toBe(1);
    expect(grm.calls().total).toBe(1);
    expect(dir.stats("GNV")).toMatchObject({ calls: 1, outcomes: { ok: 1 } });
    expect(dir.breakerState("GNV")).toEqual({
      status: "closed",
      openedAt: null,
      retryAt: null,
      consecutiveFailures: 0,
      opens: 0,
    });
  });

  it("reports the breaker's state and the statistics per operator", async () => {
    const events: string[] = [];
    const dir = await directory({
      onCall: (e) => events.push(`${e.operatorCode}:${e.operation}:${e.outcome}`),
    });
    await control(gnv, "fail-next", { operation: "GetRoutes", status: 503, count: 2 });
    await failure(dir.get("GNV")!.routes());
    await failure(dir.get("GNV")!.routes());
    const e = await failure(dir.get("GNV")!.routes());
    expect(e.kind).toBe("circuit_open");
    expect(dir.breakerState("GNV")).toMatchObject({
      status: "open",
      openedAt: new Date(clock.now),
      retryAt: new Date(clock.now + 60_000),
      consecutiveFailures: 2,
    });
    expect(dir.breakerState("GRM")?.status).toBe("closed");
    expect(dir.stats("GNV")).toMatchObject({
      calls: 3,
      outcomes: { error: 2, circuit_open: 1 },
      errorRate: 1,
    });
    expect(events).toEqual(["GNV:routes:error", "GNV:routes:error", "GNV:routes:circuit_open"]);
    expect(
      lines.some((l) => l.startsWith("WARN operator circuit opened") && l.includes('"operator":"GNV"')),
    ).toBe(true);

    // A refresh keeps the breaker (same operator, same URL)...
    await dir.refresh();
    expect(dir.breakerState("GNV")?.status).toBe("open");
    // ...unless the base URL changed: a new address starts with a clean slate.
    await setRow("GNV", { baseUrl: `${gnv.url}/` });
    try {
      await dir.refresh();
      expect(dir.breakerState("GNV")?.status).toBe("closed");
      expect((await dir.get("GNV")!.routes()).operatorCode).toBe("GNV");
    } finally {
      await setRow("GNV", { baseUrl: gnv.url });
    }
  });

  it("follows admin edits on refresh: disabled, timeout capped, markup", async () => {
    const dir = await directory();
    await setRow("GRM", { enabled: false });
    await setRow("GNV", { timeoutMs: 5_000, markupBps: 1_200 });
    try {
      expect(dir.get("GRM")).toBeDefined();
      await dir.refresh();
      expect(dir.get("GRM")).toBeUndefined();
      expect(dir.entry("GRM")?.status).toBe("disabled");
      expect(dir.connected().map((c) => c.entry.code)).toEqual(["GNV"]);
      expect(dir.entry("GNV")).toMatchObject({ timeoutMs: 1_500, markupBps: 1_200 });
      await setRow("GNV", { timeoutMs: null });
      await dir.refresh();
      expect(dir.entry("GNV")?.timeoutMs).toBe(1_500);
      await setRow("GNV", { timeoutMs: 400 });
      await dir.refresh();
      expect(dir.entry("GNV")?.timeoutMs).toBe(400);
    } finally {
      await setRow("GRM", { enabled: true });
      await setRow("GNV", { timeoutMs: 1500, markupBps: 800 });
    }
  });

  it("the row's timeout bounds every call", async () => {
    await setRow("GNV", { timeoutMs: 200 });
    try {
      const dir = await directory();
      await control(gnv, "hang", { seconds: 20 });
      const started = performance.now();
      const e = await failure(dir.get("GNV")!.routes());
      const elapsed = performance.now() - started;
      await control(gnv, "hang", { seconds: 0 });
      expect(e.kind).toBe("timeout");
      expect(elapsed).toBeLessThan(200 + 250);
    } finally {
      await setRow("GNV", { timeoutMs: 1500 });
    }
  });

  it("leaves out a connected operator without an API key, with a warning that names the variable only", async () => {
    const dir = await directory({ apiKeyFor: (code) => (code === "GNV" ? KEY : undefined) });
    expect(dir.get("GRM")).toBeUndefined();
    expect(dir.entry("GRM")?.status).toBe("missing_api_key");
    expect(dir.breakerState("GRM")).toBeUndefined();
    expect(dir.stats("GRM")).toBeUndefined();
    const warning = lines.find((l) => l.includes("OPERATOR_GRM_API_KEY"));
    expect(warning).toMatch(/^WARN operator GRM is connected but OPERATOR_GRM_API_KEY is not set/);
    expect(lines.join("\n")).not.toContain(KEY);
  });

  it("an OPERATOR_<CODE>_URL override wins over the row", async () => {
    const dir = await directory({ urlOverrideFor: (code) => (code === "GRM" ? gnv.url : undefined) });
    expect(dir.entry("GRM")).toMatchObject({ baseUrl: gnv.url, baseUrlSource: "env" });
    // GRM's connector now reaches the GNV emulator: the override is what is used.
    expect((await dir.get("GRM")!.routes()).operatorCode).toBe("GNV");
  });
});

describe("operators table CHECKs", () => {
  async function refused(values: Partial<typeof operators.$inferInsert>, code = "TST") {
    try {
      await t.db.insert(operators).values({ code, name: "Test Lines", ...values });
    } catch (e) {
      return pgErrorCode(e);
    }
    await t.db.delete(operators).where(eq(operators.code, code));
    return undefined;
  }

  it("refuse a connected operator without a base URL, a bad URL, markups and timeouts out of range", async () => {
    expect(await refused({ kind: "connected" })).toBe("23514");
    expect(await refused({ kind: "connected", baseUrl: "ftp://tst.example" })).toBe("23514");
    expect(await refused({ kind: "connected", baseUrl: "http://has space" })).toBe("23514");
    expect(await refused({ markupBps: -1 })).toBe("23514");
    expect(await refused({ markupBps: 5_001 })).toBe("23514");
    expect(await refused({ timeoutMs: 99 })).toBe("23514");
    expect(await refused({ timeoutMs: 30_001 })).toBe("23514");
    expect(await refused({ lastSyncError: "x".repeat(301) })).toBe("23514");
    expect(await refused({}, "TEST")).toBe("23514");
    const kind = await t.db
      .execute(sql`insert into operators (code, name, kind) values ('TSU', 'x', 'partner')`)
      .then(
        () => undefined,
        (e) => pgErrorCode(e),
      );
    expect(kind).toBe("23514");
  });

  it("accept the edges of every range", async () => {
    expect(
      await refused({ kind: "connected", baseUrl: "https://tst.example/api", markupBps: 0, timeoutMs: 100 }),
    ).toBeUndefined();
    expect(
      await refused({ markupBps: 5_000, timeoutMs: 30_000, lastSyncError: "x".repeat(300) }),
    ).toBeUndefined();
    expect(await refused({ timeoutMs: null })).toBeUndefined();
  });
});

describe("change-feed bookkeeping", () => {
  it("keeps the cursor on failure, stores a short scrubbed error, clears it on success", async () => {
    const at = new Date("2026-12-01T08:05:00Z");
    await recordSyncSuccess(t.db, "GRM", "cursor-1", at);
    await recordSyncFailure(
      t.db,
      "GRM",
      new OperatorError("timeout", "GRM", "changes", "no answer within 1500 ms"),
      at,
    );
    expect(await readSyncState(t.db, "GRM")).toEqual({
      cursor: "cursor-1",
      lastSyncAt: at,
      lastSyncError: "GRM changes: no answer within 1500 ms",
    });
    // Not an OperatorError: described by describeError, which drops quoted values and document-like tokens.
    await recordSyncFailure(
      t.db,
      "GRM",
      new Error(`failed for "Amira Ben Salah" X1234567 ${"y".repeat(400)}`),
      at,
    );
    const failed = await readSyncState(t.db, "GRM");
    expect(failed!.lastSyncError!.length).toBeLessThanOrEqual(300);
    expect(failed!.lastSyncError).not.toContain("Amira");
    expect(failed!.lastSyncError).not.toContain("X1234567");
    await recordSyncSuccess(t.db, "GRM", "cursor-2", at);
    expect(await readSyncState(t.db, "GRM")).toMatchObject({ cursor: "cursor-2", lastSyncError: null });
    await resetSyncCursor(t.db, "GRM");
    expect((await readSyncState(t.db, "GRM"))?.cursor).toBeNull();
  });
});
