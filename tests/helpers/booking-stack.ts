import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { afterAll, beforeAll } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { payments } from "@/server/db/schema/payments";
import { inventory } from "@/server/db/schema/sailings";
import { createBooking } from "@/server/features/booking/create";
import type { CreateBookingInput } from "@/server/features/booking/input";
import { applyPaidCheckout } from "@/server/features/booking/lifecycle";
import { emailTransport } from "@/server/features/email/resend-client";
import type { PaidCheckout } from "@/server/features/payments/events";
import { createStripe } from "@/server/features/payments/stripe-client";
import { receiveStripeWebhook } from "@/server/features/payments/webhook";
import { isAppError } from "@/server/lib/errors";
import { seedDatabase } from "@/server/seed/seed";
import type { Services } from "@/server/services";
import { localDate } from "@/shared/dates";
import { type ResendEmulator, startResendEmulator } from "../../emulators/resend/server";
import { type StripeEmulator, startStripeEmulator } from "../../emulators/stripe/server";
import { startWorker, type WorkerHandle } from "../../worker/runner";
import { createTestCache, type TestCache } from "./cache";
import { createTestDb, type TestDb } from "./db";
import { standIn } from "../../emulators/shared/stand-in";
import { pollUntil } from "./poll";
import { firstSailingAfter } from "./sailings";
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

/** This test file's stack: started before its tests (then `setup` runs), closed after them. */
export function bookingStackForFile(
  opts: { days?: number } = {},
  setup?: () => Promise<unknown>,
): BookingStack {
  let stack: BookingStack | undefined;
  beforeAll(async () => {
    stack = await createBookingStack(opts);
    await setup?.();
  });
  afterAll(() => stack?.close());
  return standIn(() => stack, "The booking stack");
}

/** A booking held for adult `i` at `email`, with its row and its Checkout payment. */
export async function holdBooking(
  s: BookingStack,
  sailingId: number,
  i: number,
  email: string,
  over: Partial<CreateBookingInput> = {},
) {
  const r = await createBooking(
    s.svc,
    bookingInput(sailingId, { passengers: [adult(i)], contact: { email }, ...over }),
  );
  const [booking] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
  const [payment] = await s.t.db.select().from(payments).where(eq(payments.bookingId, booking!.id));
  return { reference: r.reference, email, booking: booking!, payment: payment! };
}

/** A Checkout session as the webhook worker hands it on once it is paid. */
export async function paidCheckoutOf(s: BookingStack, sessionId: string): Promise<PaidCheckout> {
  const session = await s.stripe.checkout.sessions.retrieve(sessionId);
  return {
    sessionId: session.id,
    paymentIntentId: session.payment_intent as string,
    amountTotal: session.amount_total!,
    currency: session.currency!,
    metadata: session.metadata as Record<string, string>,
  };
}

/** Pays a held booking on the Stripe emulator and applies the payment the way the webhook worker does. */
export async function payAndApply(s: BookingStack, payment: { checkoutSessionId: string | null }) {
  s.emulator.pay(payment.checkoutSessionId!);
  const paid = await paidCheckoutOf(s, payment.checkoutSessionId!);
  return { paid, outcome: await applyPaidCheckout(s.svc, paid) };
}

/** The next SCHEDULED sailing on a route pair at least `minDaysAhead` days out. */
export function nextSailing(t: TestDb, from: string, to: string, minDaysAhead = 3) {
  return firstSailingAfter(t.sql, from, to, minDaysAhead);
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
