import { createHash } from "node:crypto";
import { Redis } from "@upstash/redis";
import { Redis as IORedis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryBackend } from "./memory-backend";
import { startUpstashEmulator, type UpstashEmulator } from "./server";

/**
 * Drives the emulator through the official SDK, so what passes here is what the app sees.
 * The same assertions run against the redis backend (a real Redis 7, db 7) and the memory
 * backend: the redis runs double as the reference that keeps the memory backend honest.
 */

const TOKEN = "test-token-not-a-secret";
const REDIS_URL = "redis://127.0.0.1:6379/7";

const CLIENT_MODES = [
  { mode: "auto-pipelining + base64", options: {} },
  { mode: "direct + plain JSON", options: { enableAutoPipelining: false, responseEncoding: false as const } },
];

function client(url: string, token: string, options: object): Redis {
  // No retries: a failure must surface at once, not after the SDK's ~4 s of backoff.
  return new Redis({ url, token, retry: false, enableTelemetry: false, ...options });
}

describe.each(["redis", "memory"] as const)("upstash emulator, %s backend", (kind) => {
  let emulator: UpstashEmulator;

  beforeAll(async () => {
    emulator = await startUpstashEmulator({
      token: TOKEN,
      redisUrl: kind === "redis" ? REDIS_URL : undefined,
    });
    expect(emulator.backend).toBe(kind);
  });
  afterAll(() => emulator.close());

  describe.each(CLIENT_MODES)("through @upstash/redis ($mode)", ({ options }) => {
    let redis: Redis;

    beforeEach(async () => {
      redis = client(emulator.url, TOKEN, options);
      expect(await redis.flushdb()).toBe("OK");
    });

    it("sets and gets with EX and NX", async () => {
      expect(await redis.set("k", "first", { ex: 100 })).toBe("OK");
      expect(await redis.set("k", "second", { nx: true })).toBeNull();
      expect(await redis.get("k")).toBe("first");
      expect(await redis.ttl("k")).toBe(100);
      expect(await redis.set("fresh", "x", { nx: true })).toBe("OK");
      expect(await redis.set("k", "third", { xx: true, get: true })).toBe("first");
      expect(await redis.ttl("k")).toBe(-1);
    });

    it("returns null for missing keys and fields", async () => {
      expect(await redis.get("missing")).toBeNull();
      expect(await redis.hget("missing", "f")).toBeNull();
      expect(await redis.hgetall("missing")).toBeNull();
      expect(await redis.getdel("missing")).toBeNull();
    });

    it("deletes and counts existing keys", async () => {
      await redis.mset({ a: "1", b: "2" });
      expect(await redis.exists("a", "b", "c")).toBe(2);
      expect(await redis.del("a", "b", "c")).toBe(2);
      expect(await redis.exists("a", "b")).toBe(0);
    });

    it("increments and decrements", async () => {
      expect(await redis.incr("n")).toBe(1);
      expect(await redis.incrby("n", 10)).toBe(11);
      expect(await redis.decr("n")).toBe(10);
      expect(await redis.decrby("n", 3)).toBe(7);
      expect(await redis.get("n")).toBe(7);
    });

    it("expires keys and reports TTLs", async () => {
      await redis.set("k", "v");
      expect(await redis.ttl("k")).toBe(-1);
      expect(await redis.expire("k", 50)).toBe(1);
      expect(await redis.ttl("k")).toBe(50);
      const pttl = await redis.pttl("k");
      expect(pttl).toBeGreaterThan(49_000);
      expect(pttl).toBeLessThanOrEqual(50_000);
      expect(await redis.persist("k")).toBe(1);
      expect(await redis.ttl("k")).toBe(-1);
      expect(await redis.ttl("missing")).toBe(-2);
      expect(await redis.expire("missing", 5)).toBe(0);
      expect(await redis.pexpire("k", 30)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(await redis.get("k")).toBeNull();
      expect(await redis.exists("k")).toBe(0);
    });

    it("gets many keys at once, JSON-decoding values", async () => {
      await redis.set("a", 1);
      await redis.set("b", { x: 1 });
      expect(await redis.mget("a", "b", "c")).toEqual([1, { x: 1 }, null]);
    });

    it("handles hashes", async () => {
      expect(await redis.hset("h", { name: "Tunis", code: "TUN", n: 5 })).toBe(3);
      expect(await redis.hset("h", { name: "Tunis" })).toBe(0);
      expect(await redis.hget("h", "name")).toBe("Tunis");
      expect(await redis.hgetall("h")).toEqual({ name: "Tunis", code: "TUN", n: 5 });
      expect(await redis.hincrby("h", "n", 2)).toBe(7);
      expect(await redis.hmget("h", "code", "nope")).toEqual({ code: "TUN", nope: null });
      expect(await redis.hexists("h", "code")).toBe(1);
      expect(await redis.hlen("h")).toBe(3);
      expect((await redis.hkeys("h")).sort()).toEqual(["code", "n", "name"]);
      expect(await redis.hdel("h", "code", "nope")).toBe(1);
      expect(await redis.hexists("h", "code")).toBe(0);
    });

    it("scans with MATCH and COUNT across several cursor steps", async () => {
      const expected = Array.from({ length: 25 }, (_, i) => `scan:${i}`);
      await redis.mset(Object.fromEntries(expected.map((key) => [key, "v"])));
      await redis.mset({ "other:1": "v", "other:2": "v" });
      const seen = new Set<string>();
      let cursor = "0";
      let steps = 0;
      do {
        const [next, keys] = await redis.scan(cursor, { match: "scan:*", count: 7 });
        for (const key of keys) seen.add(key);
        cursor = String(next);
        steps++;
      } while (cursor !== "0" && steps < 100);
      expect(steps).toBeGreaterThan(1);
      expect([...seen].sort()).toEqual([...expected].sort());
    });

    it("runs an explicit pipeline", async () => {
      const p = redis.pipeline();
      p.set("p", 1);
      p.incr("p");
      p.get("p");
      p.hset("ph", { a: "x" });
      p.hgetall("ph");
      expect(await p.exec()).toEqual(["OK", 2, 2, 1, { a: "x" }]);
    });

    it("reports the failing command of a pipeline, keeping the others", async () => {
      const failing = redis.pipeline();
      failing.set("s", "text");
      failing.incr("s");
      await expect(failing.exec()).rejects.toThrow(
        "Command 2 [ incr ] failed: ERR value is not an integer or out of range",
      );
      const kept = redis.pipeline();
      kept.incr("s");
      kept.get("s");
      expect(await kept.exec({ keepErrors: true })).toEqual([
        { error: "ERR value is not an integer or out of range", result: undefined },
        { error: undefined, result: "text" },
      ]);
    });

    it("runs a transaction with multi()", async () => {
      const tx = redis.multi();
      tx.set("m", "1");
      tx.incrby("m", 4);
      tx.hset("mh", { f: "v" });
      tx.get("m");
      expect(await tx.exec()).toEqual(["OK", 5, 1, 5]);
    });

    it("passes Redis errors through unchanged", async () => {
      await redis.set("s", "abc");
      await expect(redis.incr("s")).rejects.toThrow("ERR value is not an integer or out of range");
      await expect(redis.hset("s", { f: "v" })).rejects.toThrow(
        "WRONGTYPE Operation against a key holding the wrong kind of value",
      );
    });

    it("round-trips JSON values (the SDK serialises objects)", async () => {
      const value = { route: "TUN-MRS", price: { amount: 12000, currency: "EUR" }, tags: ["night", "cabin"] };
      await redis.set("obj", value, { ex: 300 });
      expect(await redis.get("obj")).toEqual(value);
    });

    it("round-trips unicode keys, values and hash fields", async () => {
      const text = "Traversée — ⛴️ 𝔘 ñ 中文 «ok»";
      await redis.set("ключ:🚢", text);
      expect(await redis.get("ключ:🚢")).toBe(text);
      await redis.hset("h:✓", { période: text });
      expect(await redis.hgetall("h:✓")).toEqual({ période: text });
      const [, keys] = await redis.scan(0, { match: "ключ:*", count: 100 });
      expect(keys).toEqual(["ключ:🚢"]);
    });

    it("rejects a wrong token", async () => {
      const intruder = client(emulator.url, "wrong-token", options);
      await expect(intruder.get("k")).rejects.toThrow("Unauthorized");
    });

    it.runIf(kind === "redis")("runs scripts, falling back from EVALSHA to EVAL on NOSCRIPT", async () => {
      const direct = new IORedis(REDIS_URL);
      try {
        await direct.script("FLUSH");
        const source = "return ARGV[1] .. redis.call('GET', KEYS[1])";
        const sha = createHash("sha1").update(source).digest("hex");
        await redis.set("ek", "-suffix");
        await expect(redis.evalsha(sha, ["ek"], ["x"])).rejects.toThrow(
          "NOSCRIPT No matching script. Please use EVAL.",
        );
        const script = redis.createScript<string>(source);
        expect(await script.exec(["ek"], ["hello"])).toBe("hello-suffix");
        // The fallback EVAL cached the script, so a plain EVALSHA now works.
        expect(await redis.evalsha(sha, ["ek"], ["again"])).toBe("again-suffix");
        expect(await redis.eval("return {1, 'two', {3, 'four'}}", [], [])).toEqual([1, "two", [3, "four"]]);
      } finally {
        direct.disconnect();
      }
    });

    it.runIf(kind === "memory")("refuses Lua with a clear message", async () => {
      await expect(redis.eval("return 1", [], [])).rejects.toThrow(
        "ERR EVAL is not supported by the in-memory backend of the emulator; set REDIS_URL",
      );
      await expect(redis.createScript("return 1").exec([], [])).rejects.toThrow(
        "ERR EVALSHA is not supported by the in-memory backend of the emulator; set REDIS_URL",
      );
    });

    it.runIf(kind === "redis")("really stores into the Redis database of the URL", async () => {
      const direct = new IORedis(REDIS_URL);
      try {
        await redis.set("visible", "yes");
        expect(await direct.get("visible")).toBe("yes");
      } finally {
        direct.disconnect();
      }
    });
  });

  describe("raw HTTP protocol", () => {
    const auth = { authorization: `Bearer ${TOKEN}` };

    async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${emulator.url}${path}`, {
        method: "POST",
        headers: { ...auth, ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, text: await res.text(), syncToken: res.headers.get("upstash-sync-token") };
    }

    beforeEach(async () => {
      expect((await post("/", ["flushdb"])).text).toBe('{"result":"OK"}');
    });

    it("answers 401 without the right token", async () => {
      const res = await fetch(`${emulator.url}/`, { method: "POST", body: '["ping"]' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "Unauthorized" });
      const wrong = await post("/", ["ping"], { authorization: "Bearer nope" });
      expect(wrong.status).toBe(401);
    });

    it("sends null as {result:null} and errors with HTTP 400", async () => {
      expect(await post("/", ["get", "missing"], { "upstash-encoding": "base64" })).toMatchObject({
        status: 200,
        text: '{"result":null}',
      });
      expect(await post("/", ["get"])).toMatchObject({
        status: 400,
        text: JSON.stringify({ error: "ERR wrong number of arguments for 'get' command" }),
      });
      expect(await post("/", "{not json")).toMatchObject({
        status: 400,
        text: '{"error":"ERR failed to parse command"}',
      });
      expect((await post("/", { command: "get" })).status).toBe(400);
    });

    it("base64-encodes every string, recursively, only when asked", async () => {
      const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
      const encoded = await post(
        "/pipeline",
        [["hset", "h", "fé", "v🚢"], ["hgetall", "h"], ["echo", "héllo"], ["ping"], ["get", "nope"]],
        { "upstash-encoding": "base64" },
      );
      expect(JSON.parse(encoded.text)).toEqual([
        { result: 1 },
        { result: [b64("fé"), b64("v🚢")] },
        { result: b64("héllo") },
        { result: b64("PONG") },
        { result: null },
      ]);
      const plain = await post("/pipeline", [
        ["hgetall", "h"],
        ["echo", "héllo"],
      ]);
      expect(JSON.parse(plain.text)).toEqual([{ result: ["fé", "v🚢"] }, { result: "héllo" }]);
    });

    it("stringifies number and boolean arguments", async () => {
      await post("/", ["set", "b", true]);
      await post("/", ["set", "f", 1.5, "ex", 60]);
      expect(
        JSON.parse(
          (
            await post("/pipeline", [
              ["get", "b"],
              ["get", "f"],
              ["ttl", "f"],
            ])
          ).text,
        ),
      ).toEqual([{ result: "true" }, { result: "1.5" }, { result: 60 }]);
    });

    it("echoes an increasing upstash-sync-token", async () => {
      const first = Number((await post("/", ["ping"])).syncToken);
      const second = Number((await post("/", ["ping"])).syncToken);
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(first);
    });

    it("aborts a whole multi-exec when a command cannot be queued", async () => {
      const aborted = await post("/multi-exec", [["set", "tx", "1"], ["nosuchcommand"]]);
      expect(aborted.status).toBe(400);
      expect(JSON.parse(aborted.text)).toEqual({
        error: "EXECABORT Transaction discarded because of previous errors.",
      });
      expect(await post("/", ["get", "tx"])).toMatchObject({ text: '{"result":null}' });
      // A runtime error inside EXEC only fails its own command, as in Redis.
      const partial = await post("/multi-exec", [
        ["set", "tx", "a"],
        ["incr", "tx"],
        ["get", "tx"],
      ]);
      expect(JSON.parse(partial.text)).toEqual([
        { result: "OK" },
        { error: "ERR value is not an integer or out of range" },
        { result: "a" },
      ]);
    });

    it("supports the command-in-path form", async () => {
      const get = (path: string) => fetch(`${emulator.url}${path}`, { headers: auth }).then((r) => r.json());
      expect(await get("/set/path%20key/v1?EX=60")).toEqual({ result: "OK" });
      expect(await get("/get/path%20key")).toEqual({ result: "v1" });
      expect(await get("/ttl/path%20key")).toEqual({ result: 60 });
      const posted = await post("/set/big", "a value sent as the body");
      expect(posted.text).toBe('{"result":"OK"}');
      const viaQueryToken = await fetch(`${emulator.url}/get/big?_token=${TOKEN}`).then((r) => r.json());
      expect(viaQueryToken).toEqual({ result: "a value sent as the body" });
    });

    // Each expectation is the exact text real Redis 7 replies; the memory backend must match it.
    it.each([
      [["incr", "s"], "ERR value is not an integer or out of range"],
      [["get", "h"], "WRONGTYPE Operation against a key holding the wrong kind of value"],
      [["hincrby", "h", "f", "1"], "ERR hash value is not an integer"],
      [["xyz", "a", "b"], "ERR unknown command 'xyz', with args beginning with: 'a' 'b' "],
      [["set", "k", "v", "ex", "0"], "ERR invalid expire time in 'set' command"],
      [["set", "k", "v", "ex", "soon"], "ERR value is not an integer or out of range"],
      [["set", "k", "v", "nx", "xx"], "ERR syntax error"],
      [["set", "k", "v", "keepttl", "ex", "5"], "ERR syntax error"],
      [["hset", "h", "lonely"], "ERR wrong number of arguments for 'hset' command"],
      [["scan", "x"], "ERR invalid cursor"],
      [["scan", "0", "count", "0"], "ERR syntax error"],
      [
        ["expire", "s", "10", "nx", "xx"],
        "ERR NX and XX, GT or LT options at the same time are not compatible",
      ],
      [["incrby", "big", "1"], "ERR increment or decrement would overflow"],
    ])("replies to %j with Redis's own error text", async (command, message) => {
      await post("/pipeline", [
        ["set", "s", "abc"],
        ["hset", "h", "f", "x"],
        ["set", "big", "9223372036854775807"],
      ]);
      expect(await post("/", command)).toMatchObject({
        status: 400,
        text: JSON.stringify({ error: message }),
      });
    });
  });
});

describe("backend selection", () => {
  it("falls back to memory quickly when Redis is unreachable, without logging secrets", async () => {
    const lines: string[] = [];
    const started = Date.now();
    const emulator = await startUpstashEmulator({
      token: TOKEN,
      redisUrl: "redis://:hunter2-password@127.0.0.1:1",
      log: (line) => lines.push(line),
    });
    try {
      expect(emulator.backend).toBe("memory");
      expect(Date.now() - started).toBeLessThan(2000);
      expect(lines.join("\n")).toContain("using the in-memory backend");
      expect(lines.join("\n")).not.toContain("hunter2-password");
      expect(lines.join("\n")).not.toContain(TOKEN);
      const redis = client(emulator.url, TOKEN, {});
      expect(await redis.set("k", "v")).toBe("OK");
      expect(await redis.get("k")).toBe("v");
    } finally {
      await emulator.close();
    }
  });
});

describe("memory backend internals", () => {
  it("sweeps expired keys that are never read again", async () => {
    let now = 1_000_000;
    const backend = new MemoryBackend({ now: () => now, sweepIntervalMs: 60_000 });
    try {
      await backend.run(["set", "short", "v", "px", "100"]);
      await backend.run(["set", "long", "v", "ex", "100"]);
      now += 101;
      backend.store.sweep();
      expect(backend.store.keys()).toEqual(["long"]);
    } finally {
      await backend.close();
    }
  });

  it("returns every key present for the whole SCAN once, despite concurrent writes", async () => {
    const backend = new MemoryBackend();
    try {
      for (let i = 0; i < 20; i++) await backend.run(["set", `k${i}`, "v"]);
      const seen: string[] = [];
      let cursor = "0";
      let step = 0;
      do {
        const [next, keys] = (await backend.run(["scan", cursor, "count", "3"])) as [string, string[]];
        seen.push(...keys);
        cursor = next;
        // Churn between steps: delete a not-yet-seen key (k19 down to k15), add one, overwrite k0.
        if (step < 5) await backend.run(["del", `k${19 - step}`]);
        await backend.run(["set", `new${step}`, "v"]);
        await backend.run(["set", "k0", "overwritten"]);
        step++;
      } while (cursor !== "0" && step < 100);
      expect(cursor).toBe("0");
      expect(new Set(seen).size).toBe(seen.length);
      for (let i = 0; i < 15; i++) expect(seen).toContain(`k${i}`);
    } finally {
      await backend.close();
    }
  });
});
