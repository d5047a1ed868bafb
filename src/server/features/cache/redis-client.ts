import { Redis } from "@upstash/redis";
import { env } from "@/env";

export interface RedisOptions {
  url: string;
  token: string;
  timeoutMs: number;
}

/**
 * The Upstash client, tuned so a sick Redis costs little: a per-request timeout (the SDK has none by
 * default) and a single quick retry instead of the default five with backoff (about 4 s of retrying).
 * `signal` must be a function: with a fixed signal the SDK turns an abort into a fake "Aborted" result.
 */
export function createRedis(opts: RedisOptions): Redis {
  return new Redis({
    url: opts.url,
    token: opts.token,
    retry: { retries: 1, backoff: () => 25 },
    signal: () => AbortSignal.timeout(opts.timeoutMs),
    enableAutoPipelining: true,
    // Our values are JSON text; base64 response encoding only doubles the decoding work.
    responseEncoding: false,
    enableTelemetry: false,
    keepAlive: true,
  });
}

export function redisFromEnv(): Redis | null {
  if (!env.UPSTASH_REDIS_REST_URL || !env.UPSTASH_REDIS_REST_TOKEN) return null;
  return createRedis({
    url: env.UPSTASH_REDIS_REST_URL,
    token: env.UPSTASH_REDIS_REST_TOKEN,
    timeoutMs: env.CACHE_TIMEOUT_MS,
  });
}
