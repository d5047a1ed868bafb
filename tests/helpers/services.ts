import type { Db } from "@/server/db/client";
import { Cache } from "@/server/features/cache/cache";
import type { Clock } from "@/server/lib/clock";
import { type Logger, log } from "@/server/lib/log";
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
 * The process's logger, plus `onLoad` for every Postgres read behind a search ("search loaded" lines, see
 * `loaded` in src/server/features/search/sailings.ts).
 */
export function searchLoads(onLoad: (kind: "schedule" | "availability", key: string) => void): Logger {
  return {
    ...log,
    debug: (msg, fields) => {
      if (msg === "search loaded" && fields)
        onLoad(fields.kind as "schedule" | "availability", String(fields.key));
      log.debug(msg, fields);
    },
  };
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
