import { randomBytes } from "node:crypto";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "../../src/env";
import { startUpstashEmulator, type UpstashEmulator } from "./server";

/**
 * Two emulators on one real Redis, each confined to its own key prefix: what one writes, the other can
 * neither read, list, count nor flush. Skipped without a reachable Redis (REDIS_URL).
 */
const TOKEN = "namespace-test-token";
const run = randomBytes(4).toString("hex");

describe("upstash emulator key prefix on a shared Redis", () => {
  let one: UpstashEmulator;
  let two: UpstashEmulator;
  let a: Redis;
  let b: Redis;

  beforeAll(async () => {
    const start = (name: string) =>
      startUpstashEmulator({ token: TOKEN, redisUrl: env.REDIS_URL, keyPrefix: `ns-test:${run}:${name}:` });
    [one, two] = await Promise.all([start("one"), start("two")]);
    const client = (e: UpstashEmulator) =>
      new Redis({ url: e.url, token: TOKEN, retry: false, enableTelemetry: false });
    a = client(one);
    b = client(two);
  });
  afterAll(async () => {
    await Promise.all([a?.flushdb(), b?.flushdb()]);
    await Promise.all([one?.close(), two?.close()]);
  });

  it("keeps keys, lists, counts and flushes apart", async (ctx) => {
    if (one.backend !== "redis") ctx.skip();
    await a.set("k", "from-a");
    await a.mset({ "x:1": 1, "x:2": 2 });
    await b.set("k", "from-b");
    expect(await a.get("k")).toBe("from-a");
    expect(await b.get("k")).toBe("from-b");
    expect(await a.dbsize()).toBe(3);
    expect(await b.dbsize()).toBe(1);
    expect((await a.keys("*")).sort()).toEqual(["k", "x:1", "x:2"]);
    expect(await a.keys("x:*")).toHaveLength(2);
    const [, scanned] = await a.scan(0, { match: "x:*", count: 1000 });
    expect(scanned.sort()).toEqual(["x:1", "x:2"]);
    expect(await a.flushdb()).toBe("OK");
    expect(await a.dbsize()).toBe(0);
    expect(await b.get("k")).toBe("from-b");
  });

  it("refuses commands that would reach outside the prefix", async (ctx) => {
    if (one.backend !== "redis") ctx.skip();
    await expect(a.flushall()).rejects.toThrow(/not available through this Upstash emulator/);
    await expect(a.randomkey()).rejects.toThrow(/not available/);
    await expect(a.multi().set("m", 1).dbsize().exec()).rejects.toThrow(/not available/);
    expect(await a.get("m")).toBeNull(); // the refused transaction ran nothing
  });
});
