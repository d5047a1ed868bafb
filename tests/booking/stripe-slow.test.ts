import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { payments } from "@/server/db/schema/payments";
import { createBooking } from "@/server/features/booking/create";
import { payForTraveller } from "@/server/features/booking/manage";
import { checkoutRequestOptions } from "@/server/features/payments/stripe-client";
import { isAppError } from "@/server/lib/errors";
import {
  bookingInput,
  inventoryOf,
  nextSailing,
  bookingStackForFile,
  waitFor,
} from "../helpers/booking-stack";

/**
 * A hanging or slow Stripe during `booking.create`: the traveller gets an answer within 3 s with the
 * places held and a message, `booking.pay` works once Stripe answers again, and the retry reuses the
 * idempotency key and parameters, so the session Stripe created for the lost answer is the one paid.
 */
const CREATE = { method: "POST", path: "/v1/checkout/sessions" };
const BOUND_MS = 3_000;

const s = bookingStackForFile({}, async () => {
  await s.startWorker();
});
// A failed assertion must not leave Stripe hanging for the next test.
afterEach(() => {
  s.emulator.hang(false);
  s.emulator.delay(0);
});

async function sessionsOf(bookingId: string) {
  const all = await s.stripe.checkout.sessions.list({ limit: 100 });
  return all.data.filter((x) => x.metadata?.booking_id === bookingId);
}

async function rowsOf(reference: string) {
  const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, reference));
  const ps = await s.t.db.select().from(payments).where(eq(payments.bookingId, b!.id));
  return { booking: b!, payments: ps };
}

describe("Stripe hanging during booking.create", () => {
  it("answers within the bound with the places held; booking.pay works after, on the same session", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS", 5);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    s.emulator.hang(true, CREATE);

    const t0 = performance.now();
    const r = await createBooking(
      s.svc,
      bookingInput(sailing.id, { contact: { email: "hang@example.com" } }),
    );
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(BOUND_MS);
    // The checkout call's own timeout ended the wait, not Stripe.
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(r.checkoutUrl).toBeNull();
    expect(r.paymentError).toBe(
      "We could not reach our payment provider. Your places are held: try again in a moment.",
    );
    const held = await rowsOf(r.reference);
    expect(held.booking.status).toBe("PENDING_PAYMENT");
    expect(held.payments.map((p) => [p.status, p.checkoutSessionId])).toEqual([["PENDING", null]]);
    expect((await inventoryOf(s.t, sailing.id, "DECK")).held).toBe(before.held + 1);
    expect(s.emulator.latencyState().held).toBe(1);

    // Still hanging: booking.pay answers at once (Stripe refuses a second request with the key in progress).
    const lookup = { reference: r.reference, email: "hang@example.com" };
    const t1 = performance.now();
    const refused = await payForTraveller(s.svc, lookup, { ip: "192.0.2.1" }).catch((e: unknown) => e);
    expect(performance.now() - t1).toBeLessThan(BOUND_MS);
    expect(isAppError(refused) && refused.details).toEqual({ reason: "STRIPE_UNAVAILABLE" });

    // Stripe answers again: the held request runs (the session exists, its answer was lost).
    s.emulator.hang(false);
    const created = await waitFor(
      () => sessionsOf(held.booking.id),
      (l) => l.length === 1,
    );
    const paid = await payForTraveller(s.svc, lookup, { ip: "192.0.2.1" });
    expect(paid.checkoutUrl).toBe(created[0]?.url);
    expect(await sessionsOf(held.booking.id)).toHaveLength(1);
    const after = await rowsOf(r.reference);
    expect(after.payments.map((p) => [p.status, p.checkoutSessionId])).toEqual([["PENDING", created[0]?.id]]);

    const result = s.emulator.pay(created[0]!.id);
    expect(result.ok).toBe(true);
    const status = await waitFor(
      async () => (await rowsOf(r.reference)).booking.status,
      (v) => v === "CONFIRMED",
    );
    expect(status).toBe("CONFIRMED");
  });

  it("a slow Stripe within the timeout still gives a checkout URL", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS", 6);
    s.emulator.delay(600, CREATE);
    try {
      const t0 = performance.now();
      const r = await createBooking(
        s.svc,
        bookingInput(sailing.id, { contact: { email: "slow@example.com" } }),
      );
      expect(performance.now() - t0).toBeGreaterThanOrEqual(590);
      expect(r.paymentError).toBeUndefined();
      expect(r.checkoutUrl).toContain("/pay/cs_test_");
    } finally {
      s.emulator.delay(0);
    }
  });
});

describe("checkoutRequestOptions", () => {
  it("never retries, waits 2 s at most, less when the answer is due sooner, 300 ms at least", () => {
    expect(checkoutRequestOptions()).toEqual({ timeout: 2_000, maxNetworkRetries: 0 });
    expect(checkoutRequestOptions(performance.now() + 60_000).timeout).toBe(2_000);
    const soon = checkoutRequestOptions(performance.now() + 1_000).timeout;
    expect(soon).toBeGreaterThan(900);
    expect(soon).toBeLessThanOrEqual(1_000);
    expect(checkoutRequestOptions(performance.now() - 5_000).timeout).toBe(300);
  });
});
