import { eq } from "drizzle-orm";
import { bookings } from "@/server/db/schema/bookings";
import { payments } from "@/server/db/schema/payments";
import { createBooking } from "@/server/features/booking/create";
import { applyPaidCheckout } from "@/server/features/booking/lifecycle";
import type { Cache } from "@/server/features/cache/cache";
import type { Services } from "@/server/services";
import { type BookingStack, bookingInput } from "../helpers/booking-stack";
import { createTestCache, type TestCache } from "../helpers/cache";
import { withOverrides } from "../helpers/services";

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
  /** The stack's Services with `writer` as their cache: what triggers run on. */
  svc: Services;
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
    svc: withOverrides(s.svc, { cache: w }),
    close: () => tc.close(),
  };
}

let n = 0;
/** A held booking for one adult on deck, made through the real createBooking. */
export async function hold(s: BookingStack, svc: Services, sailingId: number) {
  const i = ++n;
  const email = `cache-${process.pid}-${i}@example.com`;
  const r = await createBooking(svc, bookingInput(sailingId, { contact: { email } }));
  const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, r.reference));
  return { id: b!.id, reference: r.reference, email };
}

/** Pays a held booking on the Stripe emulator and applies the paid session as the worker would. */
export async function pay(s: BookingStack, svc: Services, bookingId: string) {
  const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, bookingId));
  s.emulator.pay(p!.checkoutSessionId!);
  const session = await s.stripe.checkout.sessions.retrieve(p!.checkoutSessionId!);
  return applyPaidCheckout(svc, {
    sessionId: session.id,
    paymentIntentId: session.payment_intent as string,
    amountTotal: session.amount_total!,
    currency: session.currency!,
    metadata: session.metadata as Record<string, string>,
  });
}
