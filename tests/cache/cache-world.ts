import { eq } from "drizzle-orm";
import { bookings } from "../../src/server/db/schema/bookings";
import { payments } from "../../src/server/db/schema/payments";
import type { BookingDeps } from "../../src/server/features/booking/create";
import { createBooking } from "../../src/server/features/booking/create";
import { applyPaidCheckout } from "../../src/server/features/booking/lifecycle";
import type { Cache } from "../../src/server/features/cache/cache";
import { type BookingStack, bookingInput } from "../helpers/booking-stack";
import { createTestCache, type TestCache } from "../helpers/cache";

/**
 * Two caches on one fresh Redis namespace: `reader` answers the searches (an app instance) and `writer`
 * runs the trigger (the worker, or another app instance). Every trigger is run through the other cache on
 * purpose: the reader keeps process-local copies of versioned entries, so only what the trigger wrote to
 * Redis can make the reader's next search fresh.
 */
export interface CacheWorld {
  tc: TestCache;
  reader: Cache;
  writer: Cache;
  /** Booking/lifecycle/admin deps whose cache is `writer`. */
  deps: BookingDeps;
  close(): Promise<void>;
}

export async function openCacheWorld(
  s: BookingStack,
  writer?: (tc: TestCache) => Cache,
): Promise<CacheWorld> {
  const tc = await createTestCache();
  const w = writer ? writer(tc) : tc.another();
  return {
    tc,
    reader: tc.cache,
    writer: w,
    deps: { db: s.t.db, cache: w, stripe: () => s.stripe },
    close: () => tc.close(),
  };
}

let n = 0;
/** A held booking for one adult on deck, made through the real createBooking. */
export async function hold(s: BookingStack, deps: BookingDeps, sailingId: number) {
  const i = ++n;
  const email = `cache-${process.pid}-${i}@example.com`;
  const r = await createBooking(deps, bookingInput(sailingId, { contact: { email } }));
  const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
  return { id: b!.id, reference: r.reference, email };
}

/** Pays a held booking on the Stripe emulator and applies the paid session as the worker would. */
export async function pay(s: BookingStack, deps: BookingDeps, bookingId: string) {
  const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, bookingId));
  s.emulator.pay(p!.checkoutSessionId!);
  const session = await s.stripe.checkout.sessions.retrieve(p!.checkoutSessionId!);
  return applyPaidCheckout(deps, {
    sessionId: session.id,
    paymentIntentId: session.payment_intent as string,
    amountTotal: session.amount_total!,
    currency: session.currency!,
    metadata: session.metadata as Record<string, string>,
  });
}
