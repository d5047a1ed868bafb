import { Cache } from "./cache";
import { redisFromEnv } from "./redis-client";

// One cache (and so one circuit breaker) per process; kept on globalThis across Next dev reloads.
const g = globalThis as unknown as { __traverseCache?: Cache };

export function getCache(): Cache {
  g.__traverseCache ??= new Cache(redisFromEnv());
  return g.__traverseCache;
}
