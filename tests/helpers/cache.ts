import { randomBytes } from "node:crypto";
import type { Redis } from "@upstash/redis";
import { inject } from "vitest";
import { startUpstashEmulator, type UpstashEmulator } from "../../emulators/upstash/server";
import { env } from "@/env";
import { Cache, type CacheOptions } from "@/server/features/cache/cache";
import { createRedis } from "@/server/features/cache/redis-client";

export const TEST_UPSTASH_TOKEN = "test-token";

export interface TestCache {
  cache: Cache;
  emulator: UpstashEmulator;
  /** The Upstash client behind `cache`: read keys and TTLs exactly as the cache wrote them. */
  redis: Redis;
  /** Where this cache's keys live in a shared Redis (`null` with the in-memory backend). */
  keyPrefix: string | null;
  /** A second cache on the same Redis, as another process (worker, second app instance) would have. */
  another(opts?: CacheOptions): Cache;
  /** A new Upstash client on the same Redis, to build a Cache of one's own (e.g. with a test hook). */
  connect(): Redis;
  /** Keys matching a glob, as the cache sees them (without the prefix). */
  keys(match: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Every key a test run writes to a shared Redis starts with this, followed by the run id. */
export const TEST_KEY_ROOT = "traverse-test";

/**
 * A Cache talking through @upstash/redis to a private Upstash emulator: backed by the real Redis at
 * REDIS_URL when it answers (the same Redis the app uses in development, so TTLs and commands are the real
 * ones), in memory otherwise. On a shared Redis each call gets its own key prefix (run id + random), so
 * files, and test runs of several people or CI, never see or clear each other's entries; its keys are
 * deleted on close.
 */
export async function createTestCache(opts: CacheOptions & { timeoutMs?: number } = {}): Promise<TestCache> {
  const { runId } = inject("testDatabase");
  const prefix = `${TEST_KEY_ROOT}:${runId}:${randomBytes(4).toString("hex")}:`;
  const emulator = await startUpstashEmulator({
    port: 0,
    token: TEST_UPSTASH_TOKEN,
    redisUrl: env.REDIS_URL,
    keyPrefix: prefix,
  });
  const client = () =>
    createRedis({ url: emulator.url, token: TEST_UPSTASH_TOKEN, timeoutMs: opts.timeoutMs ?? 1000 });
  const redis = client();
  // The first request to a new server pays connection set-up and JIT warm-up; keep that out of the tests.
  await redis.ping();
  const caches: Cache[] = [];
  const make = (o: CacheOptions) => {
    const c = new Cache(client(), o);
    caches.push(c);
    return c;
  };
  const cache = make(opts);
  const keys = async (match: string) => {
    const out: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, { match, count: 1000 });
      cursor = String(next);
      out.push(...batch);
    } while (cursor !== "0");
    return out.sort();
  };
  let closed = false;
  return {
    cache,
    emulator,
    redis,
    keyPrefix: emulator.backend === "redis" ? prefix : null,
    another: (o = {}) => make({ ...opts, ...o }),
    connect: client,
    keys,
    async close() {
      if (closed) return;
      closed = true;
      // Statistics are flushed on a timer: send them now, while the emulator still answers.
      await Promise.all(caches.map((c) => c.flushStats()));
      // FLUSHDB through a prefixed emulator deletes this namespace only (emulators/upstash/key-namespace.ts).
      if (emulator.backend === "redis") await redis.flushdb();
      await emulator.close();
    },
  };
}

/** A Cache whose Redis is a closed port: every call fails like a dead Redis would. */
export function createDeadCache(opts: CacheOptions & { timeoutMs?: number } = {}): Cache {
  const redis = createRedis({ url: "http://127.0.0.1:1", token: "x", timeoutMs: opts.timeoutMs ?? 250 });
  return new Cache(redis, opts);
}

/**
 * Deletes whatever a test run left in the shared Redis (a file that crashed before closing its cache).
 * Called once at the end of the run with the run id; other runs' keys have other ids and stay.
 */
export async function deleteTestRunKeys(runId: string): Promise<void> {
  if (!env.REDIS_URL) return;
  const emulator = await startUpstashEmulator({
    port: 0,
    token: TEST_UPSTASH_TOKEN,
    redisUrl: env.REDIS_URL,
    keyPrefix: `${TEST_KEY_ROOT}:${runId}:`,
  });
  try {
    if (emulator.backend === "redis") {
      await createRedis({ url: emulator.url, token: TEST_UPSTASH_TOKEN, timeoutMs: 10_000 }).flushdb();
    }
  } finally {
    await emulator.close();
  }
}
