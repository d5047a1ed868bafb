import type { Db } from "@/server/db/client";
import { Cache } from "@/server/features/cache/cache";
import type { Clock } from "@/server/lib/clock";
import { createServices, type ServiceOverrides, type Services } from "@/server/services";

/**
 * A test's own Services, through the same factory the app and the worker use: its database, and
 * whatever else it overrides. Without a cache it gets a disabled one (no Redis), without a Stripe client
 * or an email transport the factory's lazy ones (a ConfigError if the test touches them unset).
 */
export function testServices(o: ServiceOverrides & { db: Db }): Services {
  return createServices({ cache: new Cache(null), ...o });
}

/**
 * The same Services with some parts replaced (a clock standing elsewhere, other limits, another cache);
 * everything else, memo included, is shared with `svc`. Nothing is rebuilt or read early: the lazy Stripe
 * client and email transport stay lazy.
 */
export function withOverrides(svc: Services, o: Omit<ServiceOverrides, "db" | "poolSize">): Services {
  const own = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.create(svc, Object.getOwnPropertyDescriptors(own)) as Services;
}

/** A clock fixed at `at` (a Date, or a function read on every call). */
export function clockAt(at: Date | (() => Date)): Clock {
  return { now: () => new Date((typeof at === "function" ? at() : at).getTime()) };
}

/** `svc` standing at another moment. */
export function svcAt(svc: Services, when: Date | (() => Date)): Services {
  return withOverrides(svc, { clock: clockAt(when) });
}

/**
 * Runs `fn` and returns, with its result, what `cache` loaded from the source meanwhile: the cache's own
 * counters' journal, entries named `<kind>:<versions>:<key>` (`schedule:TUN-MRS:2027-01-06`,
 * `availability:42`). Concurrent reads on the same cache during `fn` count too.
 */
export async function withLoads<T>(
  cache: Cache,
  fn: () => Promise<T>,
): Promise<{ result: T; loads: string[] }> {
  const mark = cache.counters.mark();
  const result = await fn();
  return { result, loads: cache.counters.loadsSince(mark) };
}

/**
 * Makes `svc` what `appServices()` (src/server/app-services.ts) answers in this test process, so route
 * handlers imported by the test run on the test's own database. Returns the function that undoes it.
 */
export function useAsAppServices(svc: Services): () => void {
  const g = globalThis as unknown as { __traverseServices?: Services };
  const before = g.__traverseServices;
  g.__traverseServices = svc;
  return () => {
    g.__traverseServices = before;
  };
}
