import { startUpstashEmulator, type UpstashEmulator } from "../../emulators/upstash/server";
import { Cache, type CacheOptions } from "../../src/server/features/cache/cache";
import { createRedis } from "../../src/server/features/cache/redis-client";

export interface TestCache {
  cache: Cache;
  emulator: UpstashEmulator;
  close(): Promise<void>;
}

/** A Cache talking through @upstash/redis to a private in-memory Upstash emulator. */
export async function createTestCache(opts: CacheOptions & { timeoutMs?: number } = {}): Promise<TestCache> {
  const emulator = await startUpstashEmulator({ port: 0, token: "test-token" });
  const redis = createRedis({ url: emulator.url, token: "test-token", timeoutMs: opts.timeoutMs ?? 1000 });
  // The first request to a new server pays connection set-up and JIT warm-up; keep that out of the tests.
  await redis.ping();
  return { cache: new Cache(redis, opts), emulator, close: () => emulator.close() };
}

/** A Cache whose Redis is a closed port: every call fails like a dead Redis would. */
export function createDeadCache(opts: CacheOptions & { timeoutMs?: number } = {}): Cache {
  const redis = createRedis({ url: "http://127.0.0.1:1", token: "x", timeoutMs: opts.timeoutMs ?? 250 });
  return new Cache(redis, opts);
}
