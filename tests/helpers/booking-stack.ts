import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { type ResendEmulator, startResendEmulator } from "../../emulators/resend/server";
import { startStripeEmulator, type StripeEmulator } from "../../emulators/stripe/server";
import { routes } from "@/server/db/schema/network";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import type { CreateBookingInput } from "@/server/features/booking/input";
import { emailTransport } from "@/server/features/email/resend-client";
import { createStripe } from "@/server/features/payments/stripe-client";
import { receiveStripeWebhook } from "@/server/features/payments/webhook";
import { isAppError } from "@/server/lib/errors";
import { localDate } from "@/shared/dates";
import type { Services } from "@/server/services";
import { startWorker, type WorkerHandle } from "../../worker/runner";
import { createTestCache, type TestCache } from "./cache";
import { createTestDb, type TestDb } from "./db";
import { pollUntil } from "./poll";
import { testServices } from "./services";

export const WEBHOOK_SECRET = "whsec_test_secret_for_booking_tests";

/**
 * Everything the booking flows touch, for real: a seeded database of this file's own, the Upstash and
 * Stripe emulators, the webhook handler behind a real HTTP port, and (on demand) an in-process worker.
 */
export interface BookingStack {
  t: TestDb;
  tc: TestCache;
  emulator: StripeEmulator;
  /** Emails the worker sent, as Resend received them. */
  resend: ResendEmulator;
  stripe: Stripe;
  webhookUrl: string;
  /** This file's Services: its database, cache, Stripe emulator and Resend emulator. */
  svc: Services;
  /** An in-process worker on this stack's database, running on `svc` (default: the stack's own). */
  startWorker(svc?: Services): Promise<WorkerHandle>;
  close(): Promise<void>;
}

export async function createBookingStack(opts: { days?: number } = {}): Promise<BookingStack> {
  const t = await createTestDb({ max: 20 });
  await seedDatabase(t.db, {
    today: localDate(new Date(), "Africa/Tunis"),
    days: opts.days ?? 21,
    devAdmin: null,
    // No operator emulator runs in this stack, and its GNV and GRM routes are sold (and edited by the
    // admin tests) from the seeded inventory: they stay own operators here.
    operatorUrl: () => undefined,
  });
  const tc = await createTestCache();
  let svcRef: Services | undefined;
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      try {
        await receiveStripeWebhook(svcRef!, {
          rawBody: Buffer.concat(chunks).toString("utf8"),
          signature: (req.headers["stripe-signature"] as string | undefined) ?? null,
          secret: WEBHOOK_SECRET,
        });
        res.writeHead(200).end("{}");
      } catch (e) {
        res
          .writeHead(isAppError(e) ? e.httpStatus : 500)
          .end(JSON.stringify({ error: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  const emulator = await startStripeEmulator({
    port: 0,
    webhookUrl,
    webhookSecret: WEBHOOK_SECRET,
    retry: { initialMs: 100, maxMs: 1000, maxAttempts: 50 },
  });
  const stripe = createStripe({
    secretKey: "sk_test_booking_tests",
    apiBase: emulator.url,
    maxNetworkRetries: 0,
  });
  const resend = await startResendEmulator({ port: 0 });
  const svc = testServices({
    db: t.db,
    cache: tc.cache,
    stripe,
    email: emailTransport({ apiKey: "re_booking_tests", baseUrl: resend.url, requestsPerSecond: 10 }),
  });
  svcRef = svc;
  const workers: WorkerHandle[] = [];
  return {
    t,
    tc,
    emulator,
    resend,
    stripe,
    webhookUrl,
    svc,
    async startWorker(on = svc) {
      const w = await startWorker({
        connectionString: t.url,
        concurrency: 4,
        cron: false,
        pollInterval: 100,
        svc: on,
      });
      workers.push(w);
      return w;
    },
    async close() {
      for (const w of workers) await w.stop().catch(() => {});
      await emulator.close();
      await resend.close();
      await new Promise((r) => receiver.close(r));
      await tc.close();
      await t.destroy();
    },
  };
}

/** The next SCHEDULED sailing on a route pair at least `minDaysAhead` days out. */
export async function nextSailing(t: TestDb, from: string, to: string, minDaysAhead = 3) {
  const [s] = await t.db
    .select({ id: sailings.id, departureAt: sailings.departureAt, arrivalAt: sailings.arrivalAt })
    .from(sailings)
    .innerJoin(routes, eq(routes.id, sailings.routeId))
    .where(
      and(
        eq(routes.fromPort, from),
        eq(routes.toPort, to),
        eq(sailings.status, "SCHEDULED"),
        sql`${sailings.departureAt} > now() + make_interval(days => ${minDaysAhead})`,
      ),
    )
    .orderBy(sailings.departureAt)
    .limit(1);
  if (!s) throw new Error(`no sailing ${from}→${to}`);
  return s;
}

/** Sets a resource's capacity to what is already taken plus `left`. */
export async function leaveOnly(t: TestDb, sailingId: number, resource: string, left: number) {
  await t.db
    .update(inventory)
    .set({ capacity: sql`${inventory.held} + ${inventory.sold} + ${left}` })
    .where(and(eq(inventory.sailingId, sailingId), sql`${inventory.resource} = ${resource}`));
}

export async function inventoryOf(t: TestDb, sailingId: number, resource: string) {
  const [row] = await t.db
    .select()
    .from(inventory)
    .where(and(eq(inventory.sailingId, sailingId), sql`${inventory.resource} = ${resource}`));
  return row!;
}

export function adult(i = 1): CreateBookingInput["passengers"][number] {
  return {
    type: "adult",
    firstName: `Amira${i}`,
    lastName: "Ben Salah",
    nationality: "TN",
    documentNumber: `X${100000 + i}`,
  };
}

export function bookingInput(sailingId: number, over: Partial<CreateBookingInput> = {}): CreateBookingInput {
  return {
    outbound: { sailingId, accommodation: "DECK" },
    passengers: [adult(1)],
    pets: 0,
    contact: { email: "traveller@example.com" },
    locale: "en",
    ...over,
  };
}

/**
 * Polls `fn` until `ok` holds and returns that value; throws at the deadline naming `what` (by default the
 * source of the two functions) and the last value seen. Delegates to tests/helpers/poll.ts.
 */
export async function waitFor<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
  what = `${ok} on ${fn}`,
): Promise<T> {
  return (await pollUntil(fn, ok, { what, timeoutMs })).value;
}
