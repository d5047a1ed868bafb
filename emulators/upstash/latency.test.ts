import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startUpstashEmulator, type UpstashEmulator } from "./server";
import type { LatencyState } from "../shared/latency";
import { callControl, until } from "../shared/latency-test-support";

/**
 * The control API's slow and hung answers (`/_emulator/delay`, `/_emulator/hang`, `/_emulator/latency`)
 * and the request counter, driven through the official SDK the way the app's cache calls it.
 */
const TOKEN = "latency-test-token";
let emulator: UpstashEmulator;

function client(timeoutMs?: number): Redis {
  return new Redis({
    url: emulator.url,
    token: TOKEN,
    retry: false,
    enableTelemetry: false,
    enableAutoPipelining: false,
    signal: timeoutMs ? () => AbortSignal.timeout(timeoutMs) : undefined,
  });
}

type Reply = Partial<LatencyState> & { error?: string; count?: number };

const control = (path: string, body?: unknown) => callControl<Reply>(emulator.url, path, body);

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

beforeAll(async () => {
  emulator = await startUpstashEmulator({ token: TOKEN });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  expect((await control("reset", {})).status).toBe(200);
  await client().flushdb();
});

describe("upstash emulator: delay", () => {
  it("delays every request by the given time until the delay is set to 0", async () => {
    const redis = client();
    await redis.set("k", "v");
    const set = await control("delay", { ms: 400 });
    expect(set).toEqual({
      status: 200,
      body: { delay: { ms: 400, method: null, path: null }, hang: null, held: 0 },
    });
    const slow = await timed(() => redis.get("k"));
    expect(slow.value).toBe("v");
    expect(slow.ms).toBeGreaterThanOrEqual(390);

    expect((await control("delay", { ms: 0 })).body.delay).toBeNull();
    const fast = await timed(() => redis.get("k"));
    expect(fast.ms).toBeLessThan(390);
  });

  it("turns a client's timeout into a failure, as a slow Redis does", async () => {
    await control("delay", { ms: 600 });
    await expect(client(150).get("k")).rejects.toThrow(/abort|timeout/i);
  });
});

describe("upstash emulator: hang", () => {
  it("holds requests until lifted, then runs them: the write lands although its client gave up", async () => {
    await control("hang", {});
    const impatient = client(200).set("late", "written");
    await expect(impatient).rejects.toThrow(/abort|timeout/i);
    const patient = client().get<string>("late");
    const held = await until(
      () => control("latency"),
      (r) => r.body.held === 2,
    );
    expect(held.body.hang).toEqual({ method: null, path: null, until: null });

    expect((await control("hang", { seconds: 0 })).body).toEqual({ delay: null, hang: null, held: 0 });
    // Both held requests ran in arrival order: the SET first, so the GET sees its value.
    expect(await patient).toBe("written");
    expect(await client().get("late")).toBe("written");
  });

  it("ends by itself after `seconds`", async () => {
    await control("hang", { seconds: 0.4 });
    const r = await timed(() => client().incr("n"));
    expect(r.value).toBe(1);
    expect(r.ms).toBeGreaterThanOrEqual(350);
    expect((await control("latency")).body.hang).toBeNull();
  });

  it("applies only to the method and path given", async () => {
    await control("hang", { method: "POST", path: "/pipeline" });
    // Without auto-pipelining a single command goes to `/`, which is not held.
    expect(await client().set("k", "v")).toBe("OK");
    const pipe = client().pipeline().get("k").exec();
    await until(
      () => control("latency"),
      (r) => r.body.held === 1,
    );
    await control("hang", { seconds: 0 });
    expect(await pipe).toEqual(["v"]);
  });

  it("reset lifts a hang and lets held requests through", async () => {
    await control("hang", {});
    const pending = client().set("k", "v");
    await until(
      () => control("latency"),
      (r) => r.body.held === 1,
    );
    await control("reset", {});
    expect(await pending).toBe("OK");
  });
});

describe("upstash emulator: control API input", () => {
  it.each([
    ["delay", { ms: -1 }, /`ms` must be an integer between 0 and 600000/],
    ["delay", { ms: 1.5 }, /`ms` must be an integer/],
    ["delay", {}, /`ms` must be an integer/],
    ["delay", { ms: 10, path: "pipeline" }, /`path` must start with \//],
    ["hang", { seconds: "soon" }, /`seconds` must be a number between 0 and 86400/],
    ["hang", { seconds: 5, method: "P O S T" }, /`method` must be an HTTP method/],
    ["hang", "not json", /Body must be JSON/],
  ])("refuses %s %j with a message and changes nothing", async (route, body, message) => {
    const r = await control(route, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
    expect((await control("latency")).body).toEqual({ delay: null, hang: null, held: 0 });
  });

  it("answers 404 to an unknown control route", async () => {
    const r = await control("slow", { ms: 5 });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/Unknown control route POST \/_emulator\/slow/);
  });

  it("counts API requests, not control calls, and reset zeroes the count", async () => {
    const redis = client();
    await control("reset", {});
    await redis.set("a", 1);
    await redis.get("a");
    await control("latency");
    expect((await control("requests")).body).toEqual({ count: 2 });
    expect(emulator.requests()).toBe(2);
    await control("reset", {});
    expect((await control("requests")).body).toEqual({ count: 0 });
  });
});
