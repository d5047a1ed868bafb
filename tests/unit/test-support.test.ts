import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { staleBuildInput } from "../support/build";
import { sessionIdOf } from "../support/emulators";
import { PollTimeoutError, pollUntil, until } from "../support/poll";
import { percentile, spread } from "../support/stats";
import { readTrpc, readTrpcBatch, trpcBatchRequest, trpcRequest } from "../support/trpc-http";

/** The pure parts of tests/support that every test, fault scenario and benchmark leans on. */

describe("pollUntil", () => {
  it("returns the first value that satisfies the condition", async () => {
    let n = 0;
    const { value } = await pollUntil(
      () => ++n,
      (v) => v >= 3,
      { what: "three calls", intervalMs: 1 },
    );
    expect(value).toBe(3);
    expect(await until("a truthy value", async () => (n++ > 5 ? "done" : null))).toBe("done");
  });

  it("throws at the deadline, naming what it waited for and the last value seen", async () => {
    const wait = pollUntil(
      () => ({ confirmed: 2 }),
      (v) => v.confirmed === 3,
      { what: "all 3 bookings confirmed", timeoutMs: 50, intervalMs: 5 },
    );
    await expect(wait).rejects.toThrow(PollTimeoutError);
    await expect(wait).rejects.toThrow(/all 3 bookings confirmed; last value seen: \{"confirmed":2\}/);
  });
});

describe("stats", () => {
  it("takes nearest-rank percentiles, and a median of repetitions", () => {
    expect(percentile([40, 10, 30, 20], 50)).toBe(20);
    expect(percentile([40, 10, 30, 20], 95)).toBe(40);
    expect(percentile([40, 10, 30, 20], 75)).toBe(30);
    expect(percentile([], 50)).toBeNull();
    expect(spread([3, null, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(spread([4, 1, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(spread([null, undefined])).toBeNull();
  });
});

describe("the tRPC-over-HTTP client", () => {
  const base = "http://127.0.0.1:4100";

  it("POSTs the superjson envelope same-origin, with the client's address", async () => {
    const when = new Date("2026-07-15T10:00:00Z");
    const req = trpcRequest(
      "booking.get",
      { reference: "TRV-X", at: when },
      { baseUrl: base, clientAddress: "10.0.0.7" },
    );
    expect(req.method).toBe("POST");
    expect(req.url).toBe(`${base}/api/trpc/booking.get`);
    expect(req.headers.get("origin")).toBe(base);
    expect(req.headers.get("content-type")).toBe("application/json");
    expect(req.headers.get("x-forwarded-for")).toBe("10.0.0.7");
    expect(JSON.parse(await req.text())).toEqual({
      json: { reference: "TRV-X", at: "2026-07-15T10:00:00.000Z" },
      meta: { values: { at: ["Date"] }, v: 1 },
    });
  });

  it("puts a GET's input in the URL, sends raw input as given, and batches", async () => {
    const get = trpcRequest("search.ports", null, { baseUrl: base, method: "GET" });
    expect(get.method).toBe("GET");
    expect(get.url).toBe(`${base}/api/trpc/search.ports?input=${encodeURIComponent('{"json":null}')}`);
    expect(get.headers.get("origin")).toBeNull();
    const raw = trpcRequest("booking.create", undefined, { baseUrl: base, raw: "{" });
    expect(await raw.text()).toBe("{");
    const batch = trpcBatchRequest([{ path: "a.b", input: 1 }, { path: "c.d" }], { baseUrl: base });
    expect(batch.url).toBe(`${base}/api/trpc/a.b,c.d?batch=1`);
    expect(JSON.parse(await batch.text())).toEqual({
      0: { json: 1 },
      1: { json: null, meta: { values: ["undefined"], v: 1 } },
    });
  });

  it("reads data, the typed reason and every message, and survives a body that is not JSON", async () => {
    const ok = await readTrpc<{ n: number }>(Response.json({ result: { data: { json: { n: 1 } } } }));
    expect(ok).toMatchObject({ status: 200, ok: true, json: true, data: { n: 1 }, messages: [] });
    const refused = await readTrpc(
      Response.json(
        {
          error: {
            json: {
              message: "Sold out.",
              data: { code: "CONFLICT", httpStatus: 409, details: { reason: "SOLD_OUT" } },
            },
          },
        },
        { status: 409 },
      ),
    );
    expect(refused).toMatchObject({
      status: 409,
      ok: false,
      reason: "SOLD_OUT",
      message: "Sold out.",
      messages: ["Sold out."],
    });
    const html = await readTrpc(new Response("<h1>Bad gateway</h1>", { status: 502 }));
    expect(html).toMatchObject({ status: 502, json: false, messages: ["(not JSON) <h1>Bad gateway</h1>"] });
    const batch = await readTrpcBatch(
      Response.json([
        { result: { data: { json: 1 } } },
        { error: { json: { message: "no", data: { code: "X", httpStatus: 400 } } } },
      ]),
    );
    expect(batch.items.map((i) => [i.data, i.message])).toEqual([
      [1, undefined],
      [undefined, "no"],
    ]);
  });

  it("finds the Checkout session in a checkout URL", () => {
    expect(sessionIdOf("http://localhost:12811/pay/cs_test_123?x=1")).toBe("cs_test_123");
    expect(sessionIdOf(null)).toBeNull();
  });
});

describe("staleBuildInput", () => {
  it("names a build input changed after the build, and nothing when the build is newer or missing", () => {
    const root = mkdtempSync(path.join(tmpdir(), "traverse-build-"));
    try {
      const at = (rel: string, secondsAgo: number) => {
        const file = path.join(root, rel);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, "x");
        const t = Date.now() / 1000 - secondsAgo;
        utimesSync(file, t, t);
      };
      at("src/server/a.ts", 100);
      expect(staleBuildInput(root)).toBeNull(); // no build at all
      at(".next/BUILD_ID", 50);
      at("next.config.ts", 200);
      expect(staleBuildInput(root)).toBeNull();
      at("src/server/deep/b.ts", 10);
      expect(staleBuildInput(root)).toBe(path.join("src", "server", "deep", "b.ts"));
      at(".next/BUILD_ID", 0);
      expect(staleBuildInput(root)).toBeNull();
      at("package-lock.json", -5);
      expect(staleBuildInput(root)).toBe("package-lock.json");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
