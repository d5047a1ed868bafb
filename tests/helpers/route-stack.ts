import { vi } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "../../emulators/stripe/server";
import { seedDatabase } from "@/server/seed/seed";
import { ORIGIN } from "../support/trpc-http";
import { createTestDb, type TestDb } from "./db";
import { firstSailingAfter } from "./sailings";

/**
 * The real route handlers (`/api/trpc/[trpc]`, `/api/webhooks/stripe`) called with `Request` objects, no
 * server needed, as in tests/fuzz/http.test.ts: the environment is stubbed before the modules are
 * (re)loaded, so `src/env.ts` reads it the way it does at start-up, and the app's Services
 * (`appServices()`) find this file's database through DATABASE_URL.
 */
export const WEBHOOK_SECRET = "whsec_route_stack_secret";

type Handler = (req: Request) => Promise<Response>;

export interface RouteStack {
  t: TestDb;
  stripe: StripeEmulator;
  GET: Handler;
  POST: Handler;
  WEBHOOK: Handler;
  /** The app's modules as the handlers loaded them (same instances). */
  app: {
    services: typeof import("@/server/app-services");
    context: typeof import("@/server/api/context");
    root: typeof import("@/server/api/root");
    links: typeof import("@/trpc/links");
  };
  close(): Promise<void>;
}

export async function startRouteStack(env: Record<string, string> = {}): Promise<RouteStack> {
  const t = await createTestDb();
  await seedDatabase(t.db, { devAdmin: null, days: 10 });
  const stripe = await startStripeEmulator({ port: 0, webhookSecret: WEBHOOK_SECRET });
  const vars: Record<string, string> = {
    DATABASE_URL: t.url,
    APP_URL: ORIGIN,
    STRIPE_SECRET_KEY: "sk_test_route_stack",
    STRIPE_API_BASE: stripe.url,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    // Empty means unset to src/env.ts: no Redis, the cache reports itself disabled.
    UPSTASH_REDIS_REST_URL: "",
    UPSTASH_REDIS_REST_TOKEN: "",
    ...env,
  };
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  vi.resetModules();
  const trpcRoute = await import("@/app/api/trpc/[trpc]/route");
  const webhookRoute = await import("@/app/api/webhooks/stripe/route");
  const services = await import("@/server/app-services");
  const app = {
    services,
    context: await import("@/server/api/context"),
    root: await import("@/server/api/root"),
    links: await import("@/trpc/links"),
  };
  return {
    t,
    stripe,
    GET: trpcRoute.GET,
    POST: trpcRoute.POST,
    WEBHOOK: webhookRoute.POST,
    app,
    async close() {
      await services.closeAppServices();
      vi.unstubAllEnvs();
      await stripe.close();
      await t.destroy();
    },
  };
}

// The tRPC-over-HTTP client moved to tests/support/trpc-http.ts (one client for tests, faults, benchmarks
// and e2e); re-exported with the same signatures.
export { answer, ORIGIN, type TrpcAnswer, trpcGet, trpcPost } from "../support/trpc-http";

/** The first SCHEDULED sailing from `from` to `to` leaving more than two days from now. */
export async function sailingInTwoDays(s: RouteStack, from: string, to: string): Promise<number> {
  return (await firstSailingAfter(s.t.sql, from, to, 2)).id;
}

/** An adult with a document: a valid passenger on an international crossing. */
export const ADULT_WITH_DOCUMENT = {
  type: "adult",
  firstName: "Amira",
  lastName: "Ben Salah",
  nationality: "TN",
  documentNumber: "X123456",
};

/** One adult on an international crossing: valid input for booking.create. */
export function oneAdultBooking(sailingId: number, email: string, locale: "en" | "fr" | "ar" = "en") {
  return {
    outbound: { sailingId, accommodation: "DECK" },
    passengers: [{ ...ADULT_WITH_DOCUMENT }],
    contact: { email },
    locale,
  };
}
